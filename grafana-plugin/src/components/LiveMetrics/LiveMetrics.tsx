import { useEffect, useState } from 'react';
import { choosePrometheus, queryLiveMetrics, type LiveMetrics } from '../../api/liveMetrics';
import { LIVE_COLUMNS } from './liveColumns';
import type { TriageSamples } from '../../health/queries';

export { LIVE_COLUMNS };

export interface LiveState {
  metrics: LiveMetrics | null;
  /** Samples for the health states (health/health.ts), from the same request. */
  triage: TriageSamples | null;
  /** Why there are no live metrics, shown as a gentle note; the registry still works. */
  notice: string | null;
}

export function useLiveMetrics(configuredUid: string | undefined): LiveState {
  const [state, setState] = useState<LiveState>({ metrics: null, triage: null, notice: null });
  useEffect(() => {
    let cancelled = false;
    const ds = choosePrometheus(configuredUid);
    if (!ds) {
      setState({
        metrics: null,
        triage: null,
        notice: configuredUid
          ? `The configured Prometheus datasource (${configuredUid}) was not found.`
          : 'No Prometheus datasource is configured in Grafana, so live accuracy, traffic and latency are not shown.',
      });
      return;
    }
    queryLiveMetrics(ds.uid).then(
      ({ metrics, triage }) => !cancelled && setState({ metrics, triage, notice: null }),
      (err: unknown) => {
        const status = (err as { status?: number }).status;
        if (!cancelled)
          setState({ metrics: null, triage: null, notice: `Querying ${ds.name} failed${status ? ` (HTTP ${status})` : ''}.` });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [configuredUid]);
  return state;
}
