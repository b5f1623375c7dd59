import React, { useState } from 'react';
import { Button, Field, Modal, TextArea } from '@grafana/ui';
import { exporterApi } from '../../api/client';
import { ApiError, toApiError } from '../../api/errors';
import type { ModelVersion } from '../../api/types';
import { testIds } from '../../constants';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';

interface Props {
  version: ModelVersion;
  onDismiss: () => void;
  onDone: () => void;
}

/** Archiving is a transition to `archived`; archiving the production version leaves none. */
export function ArchiveDialog({ version, onDismiss, onDone }: Props) {
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
      await exporterApi.transition(version.model, version.version, 'archived', reason.trim());
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Archive ${version.model} ${version.version}?`} isOpen onDismiss={onDismiss}>
      <p>
        {version.model} {version.version} moves from {version.stage} to archived.
        {version.stage === 'production' && ' The model will have no production version until another is promoted.'}
      </p>
      <Field label="Reason" invalid={reasonMissing} error={reasonMissing ? 'A reason is required' : undefined} required>
        <TextArea
          aria-label="Archive reason"
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
        <Button data-testid={testIds.archive.confirm} variant="destructive" onClick={confirm} disabled={busy}>
          Archive
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
