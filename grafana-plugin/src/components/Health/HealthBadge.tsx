import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Icon, useStyles2, type IconName } from '@grafana/ui';
import { STATE_LABEL, type HealthState } from '../../health/health';
import { testIds } from '../../constants';

const ICONS: Record<HealthState, IconName> = {
  critical: 'exclamation-circle',
  warning: 'exclamation-triangle',
  nodata: 'question-circle',
  ok: 'check-circle',
};

const getStyles = (theme: GrafanaTheme2) => {
  const color = (c: string) =>
    css({ color: c, display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5), whiteSpace: 'nowrap' });
  return {
    critical: color(theme.colors.error.text),
    warning: color(theme.colors.warning.text),
    nodata: color(theme.colors.text.secondary),
    ok: color(theme.colors.success.text),
  };
};

/** A model's health state as Grafana shows states: theme colour, icon and word (never colour alone). */
export function HealthBadge({ state }: { state: HealthState }) {
  const styles = useStyles2(getStyles);
  return (
    <span className={styles[state]} data-testid={testIds.models.health} data-state={state}>
      <Icon name={ICONS[state]} />
      {STATE_LABEL[state]}
    </span>
  );
}
