/**
 * Live numbers for the models list, read from Prometheus through a Grafana datasource
 * (`/api/ds/query`), so they obey the datasource's own permissions. Metric names are the
 * exporter's catalog (exporter/src/metrics/catalog.ts; tests/metric-names.test.ts checks them).
 */
export const LIVE_QUERIES = {
  accuracy: 'max by (model) (modelwatch_model_accuracy_ratio)',
  predictionsPerSecond: 'sum by (model) (rate(modelwatch_predictions_total[5m]))',
  errorRatio: 'sum by (model) (rate(modelwatch_prediction_errors_total[5m])) / sum by (model) (rate(modelwatch_predictions_total[5m]))',
  p95LatencySeconds: 'histogram_quantile(0.95, sum by (model, le) (rate(modelwatch_prediction_latency_seconds_bucket[5m])))',
} as const;
