import React from 'react';
import { Alert, Button } from '@grafana/ui';
import type { ApiError } from '../../api/errors';
import { testIds } from '../../constants';
import { GateFailureList } from './GateFailureList';

interface Props {
  error: ApiError;
  onRetry?: () => void;
}

/** Every failed exporter call ends up here: never a blank page or a console-only error. */
export function ApiErrorAlert({ error, onRetry }: Props) {
  const status = error.status ? ` (HTTP ${error.status})` : '';
  return (
    <Alert
      data-testid={testIds.error}
      severity={error.kind === 'gates' || error.kind === 'refused' || error.kind === 'conflict' ? 'warning' : 'error'}
      title={`${error.title}${status}`}
    >
      <div>{error.message}</div>
      {error.gateFailures.length > 0 && <GateFailureList failures={error.gateFailures} />}
      {onRetry && (
        <Button size="sm" variant="secondary" icon="sync" onClick={onRetry}>
          Retry
        </Button>
      )}
    </Alert>
  );
}
