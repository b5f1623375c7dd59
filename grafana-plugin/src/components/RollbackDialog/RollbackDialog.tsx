import React, { useState } from 'react';
import { Button, Field, Modal, TextArea } from '@grafana/ui';
import { exporterApi } from '../../api/client';
import { ApiError, toApiError } from '../../api/errors';
import type { RollbackResult } from '../../api/types';
import { testIds } from '../../constants';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';

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
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const confirm = async () => {
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await exporterApi.rollback(model, reason.trim(), current));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Roll back ${model}?`} isOpen onDismiss={onDismiss}>
      <div data-testid={testIds.rollback.dialog}>
        <p>
          {previous ? (
            <>
              <strong>{model} {previous}</strong> returns to production and <strong>{model} {current}</strong> is archived.
            </>
          ) : (
            <>
              <strong>{model} {current}</strong> would be archived, but the registry records no earlier production version to return to; the exporter will
              refuse.
            </>
          )}
        </p>
        <Field label="Reason" invalid={reasonMissing} error={reasonMissing ? 'A reason is required' : undefined} required>
          <TextArea
            data-testid={testIds.rollback.reason}
            rows={2}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonMissing(false);
            }}
          />
        </Field>
        {error && <ApiErrorAlert error={error} />}
        <Modal.ButtonRow>
          <Button variant="secondary" fill="outline" onClick={onDismiss}>
            Cancel
          </Button>
          <Button data-testid={testIds.rollback.confirm} variant="destructive" onClick={confirm} disabled={busy}>
            {previous ? `Roll back to ${previous}` : 'Roll back'}
          </Button>
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}
