/**
 * Instant PromQL for the triage view, over the exporter's raw series (metric names from
 * exporter/src/metrics/catalog.ts; tests/metric-names.test.ts checks them). The raw gauges are
 * read rather than the recording rules so the view works on a Prometheus without the rules;
 * the window gauges cover the exporter's sliding window (1 h by default), the span the rules'
 * `*_rate1h` accuracy and `labeled per hour` minimum are computed over.
 */
export const TRIAGE_QUERIES = {
  /** Window accuracy per version. */
  accuracy: 'max by (model, version) (modelwatch_model_accuracy_ratio)',
  /**
   * Upper end of the window accuracy's 95% Wilson interval: the accuracy alerts fire on it, not on
   * the point, so a noisy point under a line whose interval still reaches it is not a finding.
   */
  accuracyUpper: 'max by (model, version) (modelwatch_model_accuracy_upper_ratio)',
  /** Labeled predictions in the window: the sample size accuracy is trusted from. */
  labeled: 'max by (model, version) (modelwatch_model_window_labeled)',
  /** Predictions in the window: the traffic share of each version. */
  predictions: 'max by (model, version) (modelwatch_model_window_predictions)',
  validationAccuracy: 'max by (model, version) (modelwatch_model_validation_accuracy_ratio)',
  stage: 'max by (model, version, stage) (modelwatch_model_stage) == 1',
  /** Events in the drift windows: the output's PSI is judged from the rules' minDriftEvents on, as the drift alerts. */
  driftEvents: 'max by (model, version) (modelwatch_model_drift_window_events)',
  /** Non-missing values of each feature in its drift window: a feature's PSI is judged from minDriftEvents of them on. */
  featureValues: 'max by (model, version, feature) (modelwatch_feature_window_values)',
  featurePsi: 'max by (model, version, feature) (modelwatch_feature_psi)',
  predictionPsi: 'max by (model, version) (modelwatch_prediction_psi)',
  predictionsRate: 'sum by (model, version) (rate(modelwatch_predictions_total[5m]))',
  errorRatio:
    'sum by (model, version) (rate(modelwatch_prediction_errors_total[5m])) / sum by (model, version) (rate(modelwatch_predictions_total[5m]))',
  p99LatencySeconds: 'histogram_quantile(0.99, sum by (model, version, le) (rate(modelwatch_prediction_latency_seconds_bucket[5m])))',
  /** Prometheus's own series of alerting-rule state (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/). */
  alerts: 'ALERTS{alertstate="firing"}',
} as const;

export type TriageQuery = keyof typeof TRIAGE_QUERIES;

/** One series' latest value and its labels. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export type TriageSamples = Record<TriageQuery, Sample[]>;
