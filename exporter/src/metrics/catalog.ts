/**
 * The metric catalog: every series name the exporter exposes, with its type, help and labels.
 * Dashboards, alert rules and tests import this list; collectors build their metrics from it.
 * Counters and histograms are the source of truth across replicas; `_ratio`/window gauges are
 * conveniences for one model on one replica.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
}

const MV = ['model', 'version'] as const;
const MVF = ['model', 'version', 'feature'] as const;

function spec(name: string, type: MetricType, labels: readonly string[], help: string): MetricSpec {
  return { name, type, labels, help };
}

export const CATALOG = {
  // Serving: counters and histograms, the source of truth across replicas.
  predictions: spec('modelwatch_predictions_total', 'counter', MV, 'Predictions received.'),
  predictionErrors: spec(
    'modelwatch_prediction_errors_total',
    'counter',
    [...MV, 'reason'],
    'Predictions that failed at the model server, by reason.',
  ),
  predictionLatency: spec('modelwatch_prediction_latency_seconds', 'histogram', MV, 'Model serving latency reported with each prediction.'),
  feedback: spec(
    'modelwatch_feedback_total',
    'counter',
    [...MV, 'outcome'],
    'Ground-truth labels received, by outcome (joined, unknown_prediction, duplicate).',
  ),
  labelsHeld: spec(
    'modelwatch_labels_held',
    'gauge',
    ['model'],
    'Labels that arrived before their prediction, held (up to MODELWATCH_HELD_LABEL_SECONDS) until it comes.',
  ),
  correctPredictions: spec('modelwatch_correct_predictions_total', 'counter', MV, 'Labeled classification predictions that were correct.'),
  labeledPredictions: spec('modelwatch_labeled_predictions_total', 'counter', MV, 'Predictions that received a ground-truth label.'),
  schemaViolations: spec(
    'modelwatch_schema_violations_total',
    'counter',
    [...MV, 'kind'],
    'Feature values that broke the reference schema, by kind (unknown_feature, wrong_type).',
  ),

  // Window gauges: quality over the sliding window.
  accuracy: spec('modelwatch_model_accuracy_ratio', 'gauge', MV, 'Accuracy over the sliding window.'),
  precision: spec(
    'modelwatch_model_precision_ratio',
    'gauge',
    [...MV, 'class'],
    'Precision per class over the window (averages: modelwatch_model_precision_averaged_ratio).',
  ),
  recall: spec(
    'modelwatch_model_recall_ratio',
    'gauge',
    [...MV, 'class'],
    'Recall per class over the window (averages: modelwatch_model_recall_averaged_ratio).',
  ),
  f1: spec(
    'modelwatch_model_f1_score',
    'gauge',
    [...MV, 'class'],
    'F1 per class over the window (averages: modelwatch_model_f1_averaged_score).',
  ),
  // Averages over classes as their own series, so that summing or averaging over `class` never counts them.
  precisionAveraged: spec(
    'modelwatch_model_precision_averaged_ratio',
    'gauge',
    [...MV, 'average'],
    "Precision over the window averaged over classes as sklearn's average= (average: macro, weighted).",
  ),
  recallAveraged: spec(
    'modelwatch_model_recall_averaged_ratio',
    'gauge',
    [...MV, 'average'],
    "Recall over the window averaged over classes as sklearn's average= (average: macro, weighted).",
  ),
  f1Averaged: spec(
    'modelwatch_model_f1_averaged_score',
    'gauge',
    [...MV, 'average'],
    "F1 over the window averaged over classes as sklearn's average= (average: macro, weighted).",
  ),
  rocAuc: spec('modelwatch_model_roc_auc', 'gauge', MV, 'ROC AUC over the window (binary; one-vs-rest macro for multiclass).'),
  rocAucErrorBound: spec(
    'modelwatch_model_roc_auc_error_bound',
    'gauge',
    MV,
    'Largest possible distance between modelwatch_model_roc_auc and the exact ROC AUC of the same events: half the positive-negative pairs sharing a score bin, over all pairs.',
  ),
  logLoss: spec('modelwatch_model_log_loss', 'gauge', MV, 'Log loss over the window.'),
  mae: spec('modelwatch_model_mae', 'gauge', MV, 'Mean absolute error over the window (regression).'),
  rmse: spec('modelwatch_model_rmse', 'gauge', MV, 'Root mean squared error over the window (regression).'),
  windowLabeled: spec('modelwatch_model_window_labeled', 'gauge', MV, 'Labeled predictions in the sliding window.'),
  windowPredictions: spec('modelwatch_model_window_predictions', 'gauge', MV, 'Predictions in the sliding window.'),
  accuracyLower: spec(
    'modelwatch_model_accuracy_lower_ratio',
    'gauge',
    MV,
    'Lower end of the Wilson 95% interval of the window accuracy (rests on modelwatch_model_window_labeled).',
  ),
  accuracyUpper: spec(
    'modelwatch_model_accuracy_upper_ratio',
    'gauge',
    MV,
    'Upper end of the Wilson 95% interval of the window accuracy (rests on modelwatch_model_window_labeled).',
  ),
  driftWindowEvents: spec(
    'modelwatch_model_drift_window_events',
    'gauge',
    MV,
    "Predictions in the drift windows, which the version's drift and data-quality gauges rest on (most of any feature's window).",
  ),

  // Label-free estimate (CBPE) from calibrated scores, over the same window; classifiers whose reference carries labels and scores.
  estimatedAccuracy: spec(
    'modelwatch_model_estimated_accuracy_ratio',
    'gauge',
    MV,
    'Accuracy estimated from calibrated scores, without labels (CBPE), over the window.',
  ),
  estimatedAccuracyLower: spec(
    'modelwatch_model_estimated_accuracy_lower_ratio',
    'gauge',
    MV,
    'Lower end of the 95% band of the accuracy the labels will show, if calibration holds.',
  ),
  estimatedAccuracyUpper: spec(
    'modelwatch_model_estimated_accuracy_upper_ratio',
    'gauge',
    MV,
    'Upper end of the 95% band of the accuracy the labels will show, if calibration holds.',
  ),
  estimatedPrecision: spec(
    'modelwatch_model_estimated_precision_ratio',
    'gauge',
    [...MV, 'class'],
    'Estimated precision: binary for the positive class; multiclass per class (one-vs-rest).',
  ),
  estimatedRecall: spec(
    'modelwatch_model_estimated_recall_ratio',
    'gauge',
    [...MV, 'class'],
    'Estimated recall: binary for the positive class; multiclass per class (one-vs-rest).',
  ),
  estimatedF1: spec(
    'modelwatch_model_estimated_f1_score',
    'gauge',
    [...MV, 'class'],
    'Estimated F1: binary for the positive class; multiclass per class (one-vs-rest).',
  ),
  estimatedPrecisionAveraged: spec(
    'modelwatch_model_estimated_precision_averaged_ratio',
    'gauge',
    [...MV, 'average'],
    'Estimated precision averaged over classes (multiclass; average: macro).',
  ),
  estimatedRecallAveraged: spec(
    'modelwatch_model_estimated_recall_averaged_ratio',
    'gauge',
    [...MV, 'average'],
    'Estimated recall averaged over classes (multiclass; average: macro).',
  ),
  estimatedF1Averaged: spec(
    'modelwatch_model_estimated_f1_averaged_score',
    'gauge',
    [...MV, 'average'],
    'Estimated F1 averaged over classes (multiclass; average: macro).',
  ),
  estimatedRocAuc: spec(
    'modelwatch_model_estimated_roc_auc',
    'gauge',
    MV,
    'Estimated ROC AUC (binary): area under the expected ROC curve.',
  ),
  estimatedEvents: spec('modelwatch_model_estimated_window_events', 'gauge', MV, 'Scored predictions in the window the estimate rests on.'),
  calibrationError: spec(
    'modelwatch_reference_calibration_error',
    'gauge',
    [...MV, 'scores'],
    'Expected calibration error on the reference of the raw scores (scores="raw") and after the fitted map (scores="calibrated").',
  ),
  labelCoverage: spec('modelwatch_model_label_coverage_ratio', 'gauge', MV, "Share of the window's predictions whose label has arrived."),
  labelsPending: spec(
    'modelwatch_model_labels_pending',
    'gauge',
    [...MV, 'age_le'],
    'Predictions waiting for their label, by age: age_le is the age bound in seconds (cumulative: waiting at most that long; +Inf = all).',
  ),
  labelDelay: spec('modelwatch_label_delay_seconds', 'histogram', MV, 'Seconds from a prediction to its label.'),

  // Drift and data quality per feature.
  featurePsi: spec('modelwatch_feature_psi', 'gauge', MVF, 'Population stability index of the feature against the reference.'),
  featureKsStatistic: spec(
    'modelwatch_feature_ks_statistic',
    'gauge',
    MVF,
    'Two-sample Kolmogorov-Smirnov statistic against the reference.',
  ),
  featureKsPvalue: spec(
    'modelwatch_feature_ks_pvalue',
    'gauge',
    MVF,
    "p-value of the two-sample KS test against the reference, as scipy.stats.ks_2samp(method='asymp').",
  ),
  featureJsDistance: spec(
    'modelwatch_feature_js_distance',
    'gauge',
    MVF,
    'Jensen-Shannon distance (base 2) of a categorical feature against the reference.',
  ),
  featureMissing: spec(
    'modelwatch_feature_missing_ratio',
    'gauge',
    MVF,
    'Share of events in the window where the feature was missing or null.',
  ),
  featureOutOfRange: spec(
    'modelwatch_feature_out_of_range_ratio',
    'gauge',
    MVF,
    "Share of the feature's values in the window outside the reference's observed range.",
  ),
  // The sample a feature's PSI, KS, JS and out-of-range ratio rest on. Not derived in PromQL as
  // drift_window_events × (1 − missing ratio): a value of the wrong type counts neither as a value
  // nor as missing, so that product overstates the sample, and it is a float, not a count.
  featureWindowValues: spec(
    'modelwatch_feature_window_values',
    'gauge',
    MVF,
    'Non-missing values of the feature in its drift window: the sample its PSI, KS, JS and out-of-range ratio rest on.',
  ),
  predictionPsi: spec('modelwatch_prediction_psi', 'gauge', MV, 'Population stability index of the model output against the reference.'),

  // Business and registry.
  businessKpi: spec('modelwatch_business_kpi', 'gauge', ['model', 'kpi'], 'Latest value of a business KPI reported for the model.'),
  modelInfo: spec('modelwatch_model_info', 'gauge', ['model', 'team'], 'Always 1 per registered model; the team label routes its alerts.'),
  modelStage: spec('modelwatch_model_stage', 'gauge', ['model', 'version', 'stage'], '1 for the stage each registered version is in.'),
  stageTransitions: spec('modelwatch_stage_transitions_total', 'counter', ['model', 'from', 'to'], 'Registry stage transitions.'),
  rollbacks: spec('modelwatch_rollbacks_total', 'counter', ['model', 'trigger'], 'Rollbacks, by trigger (manual, alert).'),
  validationAccuracy: spec(
    'modelwatch_model_validation_accuracy_ratio',
    'gauge',
    MV,
    'Accuracy recorded at registration (validation set) for each registered version.',
  ),
  retrainRecommended: spec(
    'modelwatch_retrain_recommended',
    'gauge',
    MV,
    "1 when the upper end of the window accuracy's Wilson 95% interval is below the retraining threshold, or the PSI of a feature or of the output is above it (each on its minimum sample).",
  ),

  // The audit chain's head, published outside the database (alert ModelwatchAuditHeadRegressed).
  auditHeadId: spec('modelwatch_audit_head_id', 'gauge', [], 'Id of the last audit log entry (the chain head); it never decreases.'),
  auditHeadHashPrefix: spec(
    'modelwatch_audit_head_hash_prefix',
    'gauge',
    [],
    'First 48 bits of the chain head hash as a number: for a given head id it never changes.',
  ),
  auditHeadRegressions: spec(
    'modelwatch_audit_head_regressions_total',
    'counter',
    [],
    'Times this process saw the audit head go backwards or change at the same id (truncation or rewrite).',
  ),

  // Alerting: the Alertmanager receiver and outbound webhooks (labels take a handful of fixed values).
  alertsReceived: spec(
    'modelwatch_alerts_received_total',
    'counter',
    ['outcome'],
    'Alerts received from Alertmanager, by outcome (rolled_back, ignored, failed, rejected).',
  ),
  webhookDeliveries: spec(
    'modelwatch_webhook_deliveries_total',
    'counter',
    ['event', 'outcome'],
    'Outbound webhook deliveries, by registry event and outcome (delivered, failed, dropped).',
  ),
  webhookPending: spec(
    'modelwatch_webhook_pending_deliveries',
    'gauge',
    [],
    'Outbound webhook deliveries queued, in flight or waiting to retry.',
  ),

  // Exporter itself.
  dropped: spec('modelwatch_dropped_total', 'counter', ['reason'], 'Data dropped or folded by cardinality bounds and limits, by reason.'),
  ingestedEvents: spec(
    'modelwatch_ingested_events_total',
    'counter',
    ['endpoint'],
    'Events accepted by ingest endpoints of this process (a journal replay at start counts in modelwatch_journal_replayed_events_total).',
  ),
  ingestFailures: spec(
    'modelwatch_ingest_failures_total',
    'counter',
    ['endpoint'],
    'Ingest batches that failed inside the exporter while being applied and were rolled back whole (nothing applied, a retry is safe), by endpoint.',
  ),
  snapshotsSkipped: spec(
    'modelwatch_snapshots_skipped_total',
    'counter',
    [],
    'Stored window snapshots that could not be read at restore (other format, corrupt bytes) and were skipped.',
  ),
  checkpoints: spec(
    'modelwatch_checkpoints_total',
    'counter',
    ['outcome'],
    'Checkpoints of window state to the store, by outcome (ok, failed).',
  ),
  checkpointDuration: spec('modelwatch_checkpoint_duration_seconds', 'gauge', [], 'Wall time of the last checkpoint.'),
  checkpointBytes: spec('modelwatch_checkpoint_bytes', 'gauge', [], 'Snapshot bytes written by the last checkpoint (changed state only).'),
  lastCheckpoint: spec(
    'modelwatch_last_checkpoint_timestamp_seconds',
    'gauge',
    [],
    'When the last successful checkpoint finished; a crash loses what arrived after it.',
  ),
  journalBytes: spec(
    'modelwatch_journal_bytes',
    'gauge',
    [],
    'Bytes of acknowledged ingest batches in the write-ahead journal that no checkpoint covers yet; at MODELWATCH_JOURNAL_MAX_MB ingest answers 503.',
  ),
  journalBatches: spec(
    'modelwatch_journal_batches',
    'gauge',
    [],
    'Ingest batches in the write-ahead journal that no checkpoint covers yet.',
  ),
  journalRejected: spec(
    'modelwatch_journal_rejected_total',
    'counter',
    ['reason'],
    'Ingest batches refused with 503 because they could not be journaled, by reason (full: checkpoints are not keeping up; store_error: the append failed). Nothing of them was applied. Counts only with the journal on (MODELWATCH_JOURNAL): with it off nothing is journaled, and a reference upload the store refuses is a 503 and an error log line, counted nowhere; a failing store then shows in modelwatch_checkpoints_total{outcome="failed"}.',
  ),
  journalReplayed: spec(
    'modelwatch_journal_replayed_total',
    'counter',
    ['outcome'],
    'Journaled batches read at start, by outcome (applied: replayed onto the restored snapshot; covered: already in it; refused: refused again, as when acknowledged).',
  ),
  journalReplayedEvents: spec(
    'modelwatch_journal_replayed_events_total',
    'counter',
    ['endpoint'],
    'Events of journaled batches that the start applied again (acknowledged by the process before a crash), by endpoint; counted here and not in modelwatch_ingested_events_total, which the previous process already counted them in.',
  ),
  scrapeErrors: spec(
    'modelwatch_scrape_errors_total',
    'counter',
    ['collector'],
    'Parts of /metrics left out of a scrape because rendering them failed, by collector (monitoring: one model version each).',
  ),
  buildInfo: spec('modelwatch_build_info', 'gauge', ['version', 'node_version'], 'Always 1; labels carry the build.'),
} as const satisfies Record<string, MetricSpec>;

export type CatalogKey = keyof typeof CATALOG;

export const CATALOG_NAMES: readonly string[] = Object.values(CATALOG).map((m) => m.name);

/** Latency buckets in seconds, from 1 ms to 10 s. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Names Prometheus accepts (checked at load, like prom-client does at construction). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
for (const m of Object.values(CATALOG) as MetricSpec[]) {
  if (!METRIC_NAME.test(m.name)) throw new Error(`invalid metric name in catalog: ${m.name}`);
  // OpenMetrics names a counter family without `_total` and its sample with it (exposition-writer.ts).
  if (m.type === 'counter' && !m.name.endsWith('_total')) throw new Error(`counter ${m.name} must end in _total`);
  for (const l of m.labels) if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new Error(`invalid label name ${l} on ${m.name}`);
}
