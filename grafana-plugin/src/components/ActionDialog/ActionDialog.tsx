import React, { useState, type ReactNode } from 'react';
import { Button, Modal } from '@grafana/ui';
import { ApiError, toApiError } from '../../api/errors';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';
import { ReasonField, useRequiredReason, type ReasonInputName } from '../ReasonField/ReasonField';

interface Props<T> {
  title: string;
  /** On the element wrapping the dialog's content. */
  testId?: string;
  /** What the action will do, shown above the reason. */
  children?: ReactNode;
  reasonDescription?: string;
  reasonRows: number;
  reasonInput: ReasonInputName;
  submitLabel: string;
  submitTestId: string;
  destructive?: boolean;
  spinnerWhileBusy?: boolean;
  /** Sends the action with the trimmed reason; undefined when there is nothing to submit. */
  run: ((reason: string) => Promise<T>) | undefined;
  onDismiss: () => void;
  /** Called with what `run` resolved to, once the exporter accepted the action. */
  onDone: (result: T) => void;
}

/**
 * The frame every registry action shares: the audit log needs a reason, so submitting without
 * one only marks the field; while the request is out the button is disabled so one click is one
 * action; a refusal stays in the dialog as an alert so the user can fix the reason or cancel.
 */
export function ActionDialog<T>({
  title,
  testId,
  children,
  reasonDescription,
  reasonRows,
  reasonInput,
  submitLabel,
  submitTestId,
  destructive,
  spinnerWhileBusy,
  run,
  onDismiss,
  onDone,
}: Props<T>) {
  const reasonState = useRequiredReason();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (!run) return;
    const reason = reasonState.take();
    if (reason === undefined) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await run(reason));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={title} isOpen onDismiss={onDismiss}>
      <div data-testid={testId}>
        {children}
        <ReasonField state={reasonState} description={reasonDescription} rows={reasonRows} input={reasonInput} />
        {error && <ApiErrorAlert error={error} />}
        <Modal.ButtonRow>
          <Button variant="secondary" fill="outline" onClick={onDismiss}>
            Cancel
          </Button>
          <Button
            data-testid={submitTestId}
            variant={destructive ? 'destructive' : undefined}
            onClick={submit}
            disabled={busy || !run}
            icon={spinnerWhileBusy && busy ? 'spinner' : undefined}
          >
            {submitLabel}
          </Button>
        </Modal.ButtonRow>
      </div>
    </Modal>
  );
}
