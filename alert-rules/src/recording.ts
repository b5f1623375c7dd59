/**
 * Recording rules: the cross-replica aggregates dashboards and alerts read.
 * Names follow level:metric:operations; every aggregate is `sum by (model, version)` over
 * the counters, which are the source of truth whichever replica served the traffic.
 */
import { config } from './config.js';
import { histogramBucket, metric } from './metrics.js';
import { indent, recorded, series } from './promql.js';
import type { RecordingRule, RuleGroup } from './rule-types.js';
import { Z95 } from '../../exporter/src/stats/wilson.js';

export const WINDOWS = ['5m', '1h'] as const;
export type Window = (typeof WINDOWS)[number];
export const LATENCY_QUANTILES = [50, 95, 99] as const;
export type LatencyQuantile = (typeof LATENCY_QUANTILES)[number];

export const REC = {
  team: 'model_team:modelwatch_model_info:max',
  predictionsRate: (w: Window) => `model_version:modelwatch_predictions:rate${w}`,
  modelPredictionsRate: 'model:modelwatch_predictions:rate5m',
  errorsRate: (w: Window) => `model_version:modelwatch_prediction_errors:rate${w}`,
  errorRatio: (w: Window) => `model_version:modelwatch_prediction_errors:ratio_rate${w}`,
  labeledRate: (w: Window) => `model_version:modelwatch_labeled_predictions:rate${w}`,
  accuracy: (w: Window) => `model_version:modelwatch_accuracy:ratio_rate${w}`,
  /** Ends of the 95% Wilson interval of the last hour's accuracy, from the counters of every replica. */
  accuracyLower: 'model_version:modelwatch_accuracy:wilson95_lower_rate1h',
  accuracyUpper: 'model_version:modelwatch_accuracy:wilson95_upper_rate1h',
  latencyBuckets: 'model_version_le:modelwatch_prediction_latency_seconds_bucket:rate5m',
  latency: (q: LatencyQuantile) => `model_version:modelwatch_prediction_latency_seconds:p${q}_rate5m`,
} as const;

/**
 * True for versions labelled often enough over the last hour for accuracy to mean something;
 * accuracy alerts (quality, retraining) join on it so that a trickle of feedback cannot fire them.
 */
export const ENOUGH_LABELS = `${recorded(REC.labeledRate('1h'))} * 3600 >= ${config.minLabeledPerHour}`;

/**
 * True for versions whose drift windows hold `minDriftEvents` events: what the output's PSI and a
 * feature's missing ratio rest on (a feature missing on every event has no values, yet its missing
 * ratio 1 is well founded). Prediction drift, missing values and output-drift retraining join on it.
 */
export const ENOUGH_DRIFT_EVENTS = `max by (model, version) (${series(metric('driftWindowEvents'))}) >= ${config.minDriftEvents}`;

/**
 * True for features with `minDriftEvents` non-missing values of their own in the drift window: a
 * feature's PSI, KS and out-of-range ratio rest on those, not on the version's events (x present on
 * 2 of 100 events has a PSI of 2 values). Feature drift, KS, out-of-range and feature-drift
 * retraining join on it `on (model, version, feature)`. Read from modelwatch_feature_window_values
 * rather than derived as drift_window_events × (1 − missing ratio): a value of the wrong type is
 * neither a value nor missing, so that product overstates the sample (and is a float, not a count).
 */
export const ENOUGH_FEATURE_VALUES = `max by (model, version, feature) (${series(metric('featureWindowValues'))}) >= ${config.minDriftEvents}`;

function sumRate(name: string, w: string, by = 'model, version'): string {
  return `sum by (${by}) (rate(${series(name)}[${w}]))`;
}

/**
 * One team per model, so `* on (model) group_left (team)` can never hit a many-to-many match:
 * registered models carry their registry team (an empty team falls to the platform team);
 * models that send traffic without being registered get the "unassigned" team, so their
 * alerts still reach someone instead of vanishing in the join.
 */
function teamRule(): RecordingRule {
  const registered = `label_replace(group by (model, team) (${series(metric('modelInfo'))}), "team", "${config.platformTeam}", "team", "")`;
  const unregistered = `label_replace(group by (model) (${series(metric('predictions'))}), "team", "${config.unassignedTeam}", "", "")`;
  return {
    record: REC.team,
    expr: `topk by (model) (\n  1,\n${indent(registered)}\n  or on (model)\n${indent(unregistered)}\n)`,
  };
}

function windowRules(w: Window): RecordingRule[] {
  return [
    { record: REC.predictionsRate(w), expr: sumRate(metric('predictions'), w) },
    { record: REC.errorsRate(w), expr: sumRate(metric('predictionErrors'), w) },
    // A version that never failed has no error series; `or ... * 0` makes its ratio 0, not absent.
    {
      record: REC.errorRatio(w),
      expr: `(\n  ${REC.errorsRate(w)}\n  or\n  ${REC.predictionsRate(w)} * 0\n)\n/\n${REC.predictionsRate(w)}`,
    },
    { record: REC.labeledRate(w), expr: sumRate(metric('labeledPredictions'), w) },
    // Likewise a version that got everything wrong has no correct-prediction series: accuracy 0.
    {
      record: REC.accuracy(w),
      expr: `(\n  ${sumRate(metric('correctPredictions'), w)}\n  or\n  ${REC.labeledRate(w)} * 0\n)\n/\n${REC.labeledRate(w)}`,
    },
  ];
}

/**
 * The 95% Wilson score interval of the last hour's accuracy, from the summed counters (n labels,
 * accuracy p): (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n), clamped to [0, 1], exact at p = 0 and 1 — the same
 * definition and z as the exporter's modelwatch_model_accuracy_{lower,upper}_ratio
 * (exporter/src/stats/wilson.ts), which are one replica's window. Counters summed across replicas
 * are the source of truth in PromQL (DESIGN.md "Metrics"), so the rules use these: a model whose
 * traffic is split between replicas is judged on all of its labels, not on each half.
 * Absent when no label arrived (n = 0 gives no finite bound).
 */
function wilsonRules(): RecordingRule[] {
  const n = `(${REC.labeledRate('1h')} * 3600)`;
  const p = REC.accuracy('1h');
  const z2 = Z95 * Z95;
  // At p = 0 the lower end is exactly 0 and at p = 1 the upper end exactly 1, but the formula's
  // roundings can leave 5.6e-17 or 0.9999999999999999 (0 of 48, 60 of 60): subtracting (adding)
  // 1 there before the clamp makes those ends exact, as wilsonInterval and SciPy give them.
  const bound = (sign: '+' | '-') =>
    `clamp(
  (
    ${p} + ${z2} / (2 * ${n})
    ${sign} ${Z95} * sqrt(${p} * (1 - ${p}) / ${n} + ${z2} / (4 * ${n} ^ 2))
  )
  / (1 + ${z2} / ${n})
  ${sign} (${p} == bool ${sign === '-' ? 0 : 1}),
  0, 1
)`;
  return [
    { record: REC.accuracyLower, expr: bound('-') },
    { record: REC.accuracyUpper, expr: bound('+') },
  ];
}

function latencyRules(): RecordingRule[] {
  return [
    { record: REC.latencyBuckets, expr: sumRate(histogramBucket('predictionLatency'), '5m', 'model, version, le') },
    ...LATENCY_QUANTILES.map((q) => ({
      record: REC.latency(q),
      expr: `histogram_quantile(${q / 100}, ${recorded(REC.latencyBuckets)})`,
    })),
  ];
}

export function recordingGroups(): RuleGroup<RecordingRule>[] {
  return [
    {
      // Order matters: rules later in a group read the results of earlier ones.
      name: 'modelwatch.rules',
      rules: [
        teamRule(),
        ...WINDOWS.flatMap(windowRules),
        ...wilsonRules(),
        { record: REC.modelPredictionsRate, expr: `sum by (model) (${REC.predictionsRate('5m')})` },
        ...latencyRules(),
      ],
    },
  ];
}
