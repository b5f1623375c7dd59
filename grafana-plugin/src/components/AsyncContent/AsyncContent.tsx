import React, { type ReactNode } from 'react';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AsyncState } from '../../hooks/useAsync';
import { ApiErrorAlert } from '../ApiErrorAlert/ApiErrorAlert';

interface Props<T> {
  state: AsyncState<T>;
  /** Shown until the first value arrives; without it nothing stands in for the content. */
  loadingText?: string;
  children: (value: T) => ReactNode;
}

/**
 * A page section fed by useAsync. A failed reload keeps the last value on screen under the
 * error (with a retry), and the placeholder shows only before there is anything to show.
 */
export function AsyncContent<T>({ state, loadingText, children }: Props<T>) {
  return (
    <>
      {state.error && <ApiErrorAlert error={state.error} onRetry={state.reload} />}
      {loadingText && state.loading && state.value === undefined && <LoadingPlaceholder text={loadingText} />}
      {state.value !== undefined && children(state.value)}
    </>
  );
}
