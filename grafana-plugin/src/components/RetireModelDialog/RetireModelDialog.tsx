import React, { useState, type ReactNode } from 'react';
import { ConfirmModal } from '@grafana/ui';
import { exporterApi } from '../../api/client';
import { toApiError, type ApiError } from '../../api/errors';
import type { ModelRetirement } from '../../api/types';
import { testIds } from '../../constants';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';
import { ReasonField, useRequiredReason } from '../ReasonField/ReasonField';

export type RetireKind = 'archive' | 'delete';

interface Props {
  model: string;
  kind: RetireKind;
  onDismiss: () => void;
  onDone: (result: ModelRetirement) => void;
}

const WHAT: Record<RetireKind, { title: string; confirm: string; effect: (model: ReactNode) => ReactNode }> = {
  archive: {
    title: 'Archive model',
    confirm: 'Archive model',
    effect: (m) => (
      <>
        Every version of {m} moves to archived and {m} leaves the models list; it then takes no new versions or stage moves.
      </>
    ),
  },
  delete: {
    title: 'Delete model',
    confirm: 'Delete model',
    effect: (m) => <>{m}, its versions and its transition history are removed; the audit log keeps them.</>,
  },
};

/**
 * Archiving or deleting a whole model, in Grafana's own ConfirmModal naming the model. The audit
 * log needs a reason, so confirming without one only marks the field (the button stays Grafana's:
 * disabled while the request is out, so one click is one action); deleting also asks for the model's name to be
 * typed, as Grafana does for its own destructive deletes. The exporter's refusal (409 while a
 * version is in production) stays in the dialog with the exporter's own message.
 */
export function RetireModelDialog({ model, kind, onDismiss, onDone }: Props) {
  const reasonState = useRequiredReason();
  const [error, setError] = useState<ApiError | null>(null);
  const what = WHAT[kind];

  const confirm = async () => {
    const reason = reasonState.take();
    if (reason === undefined) return;
    setError(null);
    try {
      const api = kind === 'archive' ? exporterApi.archiveModel : exporterApi.deleteModel;
      onDone(await api(model, reason));
    } catch (err) {
      setError(toApiError(err));
    }
  };

  return (
    <ConfirmModal
      isOpen
      title={`${what.title} ${model}?`}
      body={
        <div data-testid={testIds.retire.dialog}>
          <p>{what.effect(<strong>{model}</strong>)}</p>
          <ReasonField
            state={reasonState}
            description="Recorded in the audit log"
            rows={2}
            input={{ 'data-testid': testIds.retire.reason }}
          />
          {error && <ApiErrorAlert error={error} />}
        </div>
      }
      confirmText={what.confirm}
      confirmationText={kind === 'delete' ? model : undefined}
      onConfirm={confirm}
      onDismiss={onDismiss}
    />
  );
}
