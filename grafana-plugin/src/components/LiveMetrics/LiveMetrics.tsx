import React, { useEffect, useState } from 'react';
import { choosePrometheus, queryLiveMetrics, type LiveMetricName, type LiveMetrics } from '../../api/liveMetrics';

export const LIVE_COLUMNS: ReadonlyArray<{ key: LiveMetricName; title: string; format: (v: number) => string }> = [
  { key: 'accuracy', title: 'Accuracy (1h)', format: (v) => `${(v * 100).toFixed(1)}%` },
  { key: 'predictionsPerSecond', title: 'Predictions/s', format: (v) => v.toFixed(2) },
  { key: 'errorRatio', title: 'Errors', format: (v) => `${(v * 100).toFixed(2)}%` },
  { key: 'p95LatencySeconds', title: 'p95 latency', format: (v) => `${(v * 1000).toFixed(0)} ms` },
];

export interface LiveState {
  metrics: LiveMetrics | null;
  /** Why there are no live metrics, shown as a gentle note; the registry still works. */
  notice: string | null;
}

export function useLiveMetrics(configuredUid: string | undefined): LiveState {
  const [state, setState] = useState<LiveState>({ metrics: null, notice: null });
  useEffect(() => {
    let cancelled = false;
    const ds = choosePrometheus(configuredUid);
    if (!ds) {
      setState({
        metrics: null,
        notice: configuredUid
          ? `The configured Prometheus datasource (${configuredUid}) was not found.`
          : 'No Prometheus datasource is configured in Grafana, so live accuracy, traffic and latency are not shown.',
      });
      return;
    }
    queryLiveMetrics(ds.uid).then(
      (metrics) => !cancelled && setState({ metrics, notice: null }),
      (err: unknown) => {
        const status = (err as { status?: number }).status;
        if (!cancelled) setState({ metrics: null, notice: `Querying ${ds.name} failed${status ? ` (HTTP ${status})` : ''}.` });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [configuredUid]);
  return state;
}

export function LiveMetricCells({ values }: { values: Partial<Record<LiveMetricName, number>> | undefined }) {
  return (
    <>
      {LIVE_COLUMNS.map((c) => {
        const v = values?.[c.key];
        return <td key={c.key}>{v === undefined ? '—' : c.format(v)}</td>;
      })}
    </>
  );
}
