import type { VersionNumber } from '../../api/versionQueries';

/** Rows of the comparison and their Grafana units (@grafana/data value formats). */
export const ROLLBACK_ROWS: Array<{ key: VersionNumber; title: string; unit: string; decimals?: number }> = [
  { key: 'accuracy', title: 'Accuracy (window)', unit: 'percentunit', decimals: 1 },
  { key: 'labeled', title: 'Labeled predictions (window)', unit: 'none', decimals: 0 },
  { key: 'estimated', title: 'Estimated accuracy (CBPE)', unit: 'percentunit', decimals: 1 },
  // No fixed decimals: Grafana's 's' unit scales to ms, where 3 decimals read as "234.375 ms".
  { key: 'p95LatencySeconds', title: 'Latency p95 (5m)', unit: 's' },
];
