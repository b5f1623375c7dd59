import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import { PLUGIN_ID } from '../../constants';

/** Shown instead of a page when no exporter URL is set, so nothing fails obscurely. */
export function NotConfigured() {
  return (
    <Alert severity="info" title="modelwatch is not configured yet" data-testid="mw-not-configured">
      <p>An administrator needs to set the exporter URL and token on the app&apos;s configuration page.</p>
      <LinkButton href={`/plugins/${PLUGIN_ID}`} variant="primary" size="sm">
        Open configuration
      </LinkButton>
    </Alert>
  );
}
