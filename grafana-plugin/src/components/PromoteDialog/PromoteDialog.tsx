import React, { useState } from 'react';
import { Button, Field, Modal, RadioButtonGroup, TextArea } from '@grafana/ui';
import { exporterApi } from '../../api/client';
import { ApiError, toApiError } from '../../api/errors';
import { promotionTargets } from '../../api/stages';
import type { ModelVersion, Stage } from '../../api/types';
import { testIds } from '../../constants';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';

interface Props {
  version: ModelVersion;
  onDismiss: () => void;
  /** Called after the exporter accepted the transition. */
  onDone: (to: Stage) => void;
}

/** Moves a version to another stage. A reason is required; a 422 lists every failed gate. */
export function PromoteDialog({ version, onDismiss, onDone }: Props) {
  const targets = promotionTargets(version.stage);
  const [to, setTo] = useState<Stage | undefined>(targets[0]);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (!to) return;
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await exporterApi.transition(version.model, version.version, to, reason.trim());
      onDone(to);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Move ${version.model} ${version.version} (${version.stage})`} isOpen onDismiss={onDismiss}>
      <div data-testid={testIds.promote.dialog}>
        <Field label="Target stage">
          <div data-testid={testIds.promote.stage}>
            <RadioButtonGroup<Stage> options={targets.map((s) => ({ label: s, value: s }))} value={to} onChange={setTo} />
          </div>
        </Field>
        <Field label="Reason" description="Recorded in the audit log with your name." invalid={reasonMissing} error={reasonMissing ? 'A reason is required' : undefined} required>
          <TextArea
            data-testid={testIds.promote.reason}
            value={reason}
            rows={3}
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
          <Button data-testid={testIds.promote.submit} onClick={submit} disabled={busy || !to} icon={busy ? 'spinner' : undefined}>
            {to ? `Move to ${to}` : 'No stage to move to'}
          </Button>
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}
