/**
 * The one place to tune modelwatch's rules: selectors, thresholds, per-model overrides.
 * Change a value here, run `npm run generate -w @modelwatch/alert-rules`, commit the YAML.
 */

/** Thresholds a model may override; everything else in the config is fleet-wide. */
export interface ModelThresholds {
  /** Alert when window accuracy falls this far (absolute) below the version's validation accuracy. */
  readonly accuracyDropMargin: number;
  /** As above, but large enough to roll the production version back automatically. */
  readonly accuracyCollapseMargin: number;
  /** p99 serving latency (seconds) above which the latency SLO is breached (warning). */
  readonly latencyP99Seconds: number;
  /** p99 serving latency (seconds) that pages (critical). */
  readonly latencyP99CriticalSeconds: number;
  /** Retraining is recommended below this window accuracy... */
  readonly retrainAccuracyBelow: number;
  /** ...or above this PSI on any feature or on the model output. */
  readonly retrainDriftPsiAbove: number;
  /**
   * The gate of the label-free estimate: when even the upper end of the estimated accuracy's
   * 95% band is below it, the version is very likely below it too. Default 0.85, the
   * registry's default production gate (min_accuracy).
   */
  readonly estimatedAccuracyGate: number;
}

export interface RulesConfig {
  /** Label matchers selecting the exporter's series (its scrape job). */
  readonly exporterSelector: string;
  /** Base of every runbook_url; an alert's anchor is its name in lower case. */
  readonly runbookBaseUrl: string;
  /** Team that owns the exporter itself; also used for models registered without a team. */
  readonly platformTeam: string;
  /** team label given to models that send traffic but are not registered. */
  readonly unassignedTeam: string;
  /** Labeled predictions per hour a version needs before its accuracy is trusted. */
  readonly minLabeledPerHour: number;
  /**
   * The sample a drift or data-quality gauge needs before it may alert: PSI of two values is noise,
   * not drift. A feature's PSI, KS and out-of-range ratio need this many non-missing values of that
   * feature (modelwatch_feature_window_values); the output's PSI and a feature's missing ratio need
   * this many events in the version's drift windows (modelwatch_model_drift_window_events).
   */
  readonly minDriftEvents: number;
  /** Predictions per second a version needs before latency and error ratios are trusted. */
  readonly minPredictionsPerSecond: number;
  readonly defaults: ModelThresholds;
  /** Per-model overrides, keyed by the model label. */
  readonly models: Readonly<Record<string, Partial<ModelThresholds>>>;
  /** The label-free estimate (CBPE, from calibrated scores; see the exporter README). */
  readonly estimate: {
    /** Scored predictions in the window the estimate must rest on before it may alert. */
    readonly minEvents: number;
    /**
     * Models whose production version is rolled back (action="rollback") when its estimate's
     * upper band stays below the gate — before any label arrives. Empty: no such rule.
     */
    readonly rollbackModels: readonly string[];
  };
  readonly drift: {
    readonly psiWarning: number;
    readonly psiCritical: number;
    /** A KS test only alerts when the p-value is tiny AND the effect is not negligible. */
    readonly ksPvalueBelow: number;
    readonly ksStatisticAbove: number;
  };
  readonly dataQuality: {
    readonly missingWarning: number;
    readonly missingCritical: number;
    readonly outOfRangeWarning: number;
    readonly outOfRangeCritical: number;
    /** Schema violations per prediction. */
    readonly schemaViolationsPerPrediction: number;
  };
  readonly errors: {
    readonly ratioWarning: number;
    readonly ratioCritical: number;
  };
  readonly business: {
    /** Regex over the kpi label: KPIs where a drop is bad (conversion, approval...). */
    readonly kpiRegex: string;
    /** Alert when the last hour's mean is this fraction below the previous day's mean. */
    readonly dropFraction: number;
  };
  readonly noPredictions: {
    /** How long a production model may stay silent. */
    readonly quietWindow: string;
    /** How far back it must have had traffic for silence to be news. */
    readonly lookback: string;
  };
  /** `for:` durations, one per alert family. */
  readonly for: {
    readonly accuracyDrop: string;
    readonly accuracyCollapse: string;
    readonly drift: string;
    readonly ks: string;
    readonly dataQuality: string;
    readonly schema: string;
    readonly latency: string;
    readonly errors: string;
    readonly businessKpi: string;
    readonly noPredictions: string;
    readonly exporterDown: string;
    readonly exporterAbsent: string;
    readonly dropped: string;
    readonly scrapeErrors: string;
    readonly journalRejected: string;
    readonly ingestFailures: string;
    readonly checkpointsFailing: string;
    readonly retraining: string;
    readonly estimatedAccuracy: string;
    readonly estimatedAccuracyRollback: string;
  };
}

export const config: RulesConfig = {
  exporterSelector: 'job="modelwatch"',
  runbookBaseUrl: 'https://github.com/modelwatch/modelwatch/blob/main/docs/runbook.md',
  platformTeam: 'ml-platform',
  unassignedTeam: 'unassigned',
  minLabeledPerHour: 50,
  minDriftEvents: 50,
  minPredictionsPerSecond: 0.05,
  defaults: {
    accuracyDropMargin: 0.05,
    accuracyCollapseMargin: 0.15,
    latencyP99Seconds: 0.25,
    latencyP99CriticalSeconds: 1,
    retrainAccuracyBelow: 0.85,
    retrainDriftPsiAbove: 0.1,
    estimatedAccuracyGate: 0.85,
  },
  models: {
    // A fraud model is retrained sooner and must answer inside the payment flow. The key is the
    // `model` label exactly: fraud_detector is the model examples/fraud-detector.sh registers
    // (tests/conventions.test.ts checks every key names a model the repository ships).
    fraud_detector: {
      retrainAccuracyBelow: 0.92,
      retrainDriftPsiAbove: 0.05,
      latencyP99Seconds: 0.1,
      estimatedAccuracyGate: 0.9,
    },
  },
  estimate: {
    minEvents: 200,
    // Chargebacks label fraud weeks late: a bad release is rolled back on its estimate.
    rollbackModels: ['fraud_detector'],
  },
  drift: {
    psiWarning: 0.1,
    psiCritical: 0.25,
    ksPvalueBelow: 0.001,
    ksStatisticAbove: 0.1,
  },
  dataQuality: {
    missingWarning: 0.05,
    missingCritical: 0.2,
    outOfRangeWarning: 0.05,
    outOfRangeCritical: 0.2,
    schemaViolationsPerPrediction: 0.01,
  },
  errors: {
    ratioWarning: 0.05,
    ratioCritical: 0.2,
  },
  business: {
    kpiRegex: '.*(conversion|approval).*',
    dropFraction: 0.2,
  },
  noPredictions: {
    quietWindow: '15m',
    lookback: '6h',
  },
  for: {
    accuracyDrop: '15m',
    accuracyCollapse: '10m',
    drift: '15m',
    ks: '30m',
    dataQuality: '15m',
    schema: '10m',
    latency: '10m',
    errors: '5m',
    businessKpi: '30m',
    noPredictions: '5m',
    exporterDown: '2m',
    exporterAbsent: '5m',
    dropped: '15m',
    scrapeErrors: '5m',
    journalRejected: '5m',
    ingestFailures: '5m',
    checkpointsFailing: '10m',
    retraining: '30m',
    estimatedAccuracy: '15m',
    estimatedAccuracyRollback: '10m',
  },
};
