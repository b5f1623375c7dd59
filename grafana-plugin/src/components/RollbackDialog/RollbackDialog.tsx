import React from 'react';
import { exporterApi } from '../../api/client';
import type { RollbackResult } from '../../api/types';
import { testIds } from '../../constants';
import { ActionDialog } from '../ActionDialog/ActionDialog';
import { RollbackNumbers } from './RollbackNumbers';

interface Props {
  model: string;
  /** The version in production now; it will be archived. */
  current: string;
  /** The version that returns to production, when the registry recorded one. */
  previous: string | null;
  onDismiss: () => void;
  onDone: (result: RollbackResult) => void;
}

/**
 * Confirms a rollback naming both versions that swap. It sends `from_version`, so if someone
 * else rolled back in the meantime the exporter answers 409 instead of rolling back twice.
 */
export function RollbackDialog({ model, current, previous, onDismiss, onDone }: Props) {
  return (
    <ActionDialog
      title={`Roll back ${model}?`}
      testId={testIds.rollback.dialog}
      reasonRows={2}
      reasonInput={{ 'data-testid': testIds.rollback.reason }}
      submitLabel={previous ? `Roll back to ${previous}` : 'Roll back'}
      submitTestId={testIds.rollback.confirm}
      destructive
      run={(reason) => exporterApi.rollback(model, reason, current)}
      onDismiss={onDismiss}
      onDone={onDone}
    >
      <p>
        {previous ? (
          <>
            <strong>
              {model} {previous}
            </strong>{' '}
            returns to production and{' '}
            <strong>
              {model} {current}
            </strong>{' '}
            is archived.
          </>
        ) : (
          <>
            <strong>
              {model} {current}
            </strong>{' '}
            would be archived, but the registry records no earlier production version to return to; the exporter will refuse.
          </>
        )}
      </p>
      <RollbackNumbers model={model} current={current} target={previous} />
    </ActionDialog>
  );
}
