import React, { useState, type ReactNode } from 'react';
import { Button, Field, Modal, TextArea } from '@grafana/ui';
import { ApiError, toApiError } from '../../api/errors';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';

/** How the reason box is found: by its label for people, or by a test id where tests select it. */
type ReasonInputName = { 'aria-label': string } | { 'data-testid': string };

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
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    if (!run) return;
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await run(reason.trim()));
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
        <Field
          label="Reason"
          description={reasonDescription}
          invalid={reasonMissing}
          error={reasonMissing ? 'A reason is required' : undefined}
          required
        >
          <TextArea
            {...reasonInput}
            rows={reasonRows}
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
