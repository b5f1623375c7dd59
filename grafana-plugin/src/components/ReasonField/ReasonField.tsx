import React, { useState } from 'react';
import { Field, TextArea } from '@grafana/ui';

/** How the reason box is found: by its label for people, or by a test id where tests select it. */
export type ReasonInputName = { 'aria-label': string } | { 'data-testid': string };

export interface RequiredReason {
  reason: string;
  missing: boolean;
  onChange: (value: string) => void;
  /** The trimmed reason; undefined, with the field marked, when there is none. */
  take: () => string | undefined;
}

/**
 * The state of a registry action's reason: the audit log needs one, so submitting without it
 * only marks the field, and typing clears the mark.
 */
export function useRequiredReason(): RequiredReason {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  return {
    reason,
    missing,
    onChange: (value) => {
      setReason(value);
      setMissing(false);
    },
    take: () => {
      const trimmed = reason.trim();
      if (!trimmed) setMissing(true);
      return trimmed || undefined;
    },
  };
}

/** The reason box every registry action shares (Grafana's Field and TextArea). */
export function ReasonField({
  state,
  description,
  rows,
  input,
}: {
  state: RequiredReason;
  description?: string;
  rows: number;
  input: ReasonInputName;
}) {
  return (
    <Field
      label="Reason"
      description={description}
      invalid={state.missing}
      error={state.missing ? 'A reason is required' : undefined}
      required
    >
      <TextArea {...input} rows={rows} value={state.reason} onChange={(e) => state.onChange(e.currentTarget.value)} />
    </Field>
  );
}
