import type { LIVE_QUERIES } from '../../api/liveQueries';

/**
 * The live columns of the models list and how each value is shown. Free of React and
 * @grafana/runtime so the browser test can format what it reads from Prometheus the same way.
 */
export const LIVE_COLUMNS: ReadonlyArray<{ key: keyof typeof LIVE_QUERIES; title: string; format: (v: number) => string }> = [
  { key: 'accuracy', title: 'Accuracy (1h)', format: (v) => `${(v * 100).toFixed(1)}%` },
  { key: 'predictionsPerSecond', title: 'Predictions/s', format: (v) => v.toFixed(2) },
  { key: 'errorRatio', title: 'Errors', format: (v) => `${(v * 100).toFixed(2)}%` },
  { key: 'p95LatencySeconds', title: 'p95 latency', format: (v) => `${(v * 1000).toFixed(0)} ms` },
];
