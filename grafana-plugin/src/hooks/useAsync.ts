import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, toApiError } from '../api/errors';

export interface AsyncState<T> {
  loading: boolean;
  value: T | undefined;
  error: ApiError | null;
  reload: () => void;
}

/**
 * Runs `load` when `deps` change and on reload(); a result that arrives after a newer request
 * started is dropped, so a slow answer never overwrites a fresh one.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ loading: boolean; value: T | undefined; error: ApiError | null }>({
    loading: true,
    value: undefined,
    error: null,
  });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (value) => {
        if (id === latest.current) setState({ loading: false, value, error: null });
      },
      (err: unknown) => {
        if (id === latest.current) setState((s) => ({ loading: false, value: s.value, error: toApiError(err) }));
      },
    );
  }, [run, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
