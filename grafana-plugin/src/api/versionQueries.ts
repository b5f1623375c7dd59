import { promString } from '../incident/queries';

/**
 * Instant PromQL for what a rollback trades: each version's window accuracy and the labels it
 * rests on, its label-free estimate, and its p95 latency (metric names from
 * exporter/src/metrics/catalog.ts; tests/metric-names.test.ts checks them).
 */
export function versionNumberQueries(model: string): Record<VersionNumber, string> {
  const m = `model=${promString(model)}`;
  return {
    accuracy: `max by (version) (modelwatch_model_accuracy_ratio{${m}})`,
    labeled: `max by (version) (modelwatch_model_window_labeled{${m}})`,
    estimated: `max by (version) (modelwatch_model_estimated_accuracy_ratio{${m}})`,
    p95LatencySeconds: `histogram_quantile(0.95, sum by (version, le) (rate(modelwatch_prediction_latency_seconds_bucket{${m}}[5m])))`,
  };
}

export type VersionNumber = 'accuracy' | 'labeled' | 'estimated' | 'p95LatencySeconds';
