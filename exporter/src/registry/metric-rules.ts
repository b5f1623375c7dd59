import { z } from 'zod';
import { MAX_MAGNITUDE } from '../stats/index.js';

/**
 * The range a registry metric (and a gate on it) may take, chosen by the metric's name, so that a
 * version cannot claim p95_latency_ms -1 and a gate cannot ask for min_accuracy 1.23e29, which no
 * version can meet. Latencies share ingest's cap (ingest/schemas.ts: 0 to 86,400,000 ms, a day).
 */
export const MAX_LATENCY_MS = 86_400_000;

export interface MetricRule {
  min: number;
  max: number;
  integer: boolean;
  /** The rule in words, for 400 messages and the OpenAPI text. */
  message: string;
}

const rule = (min: number, max: number, integer: boolean, message: string): MetricRule => ({ min, max, integer, message });

export const SCORE_RULE = rule(0, 1, false, 'must be a number from 0 to 1 (accuracy, ratios, F1, AUC)');
export const LATENCY_RULE = rule(0, MAX_LATENCY_MS, false, `must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}`);
export const ERROR_RULE = rule(
  0,
  MAX_MAGNITUDE,
  false,
  `must be a number from 0 to ${MAX_MAGNITUDE} (error metrics and losses are not negative)`,
);
export const COUNT_RULE = rule(0, Number.MAX_SAFE_INTEGER, true, 'must be a whole number, at least 0 (counts)');
export const OTHER_RULE = rule(-MAX_MAGNITUDE, MAX_MAGNITUDE, false, `must be a finite number with magnitude at most ${MAX_MAGNITUDE}`);

// Checked in order; the first pattern that matches the metric name decides.
const RULES: readonly (readonly [RegExp, MetricRule])[] = [
  [/(^|_)(count|samples|support)$|^(n|num)_/, COUNT_RULE],
  [/(^|_)latency(_ms)?$|_ms$/, LATENCY_RULE],
  [/(^|_)(mae|mse|rmse|msle|rmsle|mape|smape|error|loss|logloss|log_loss|brier|brier_score|deviance)$/, ERROR_RULE],
  [
    /(^|_)(accuracy|precision|recall|f1|f1_score|auc|roc_auc|pr_auc|specificity|sensitivity|rate|ratio|fpr|tpr|fnr|tnr|ap|average_precision)$/,
    SCORE_RULE,
  ],
];

/** The rule for a metric name (lowercase, as the registry accepts it); OTHER_RULE when no pattern names it. */
export function metricRule(metric: string): MetricRule {
  for (const [pattern, r] of RULES) if (pattern.test(metric)) return r;
  return OTHER_RULE;
}

/** Whether `value` keeps `rule`: finite, within [min, max], whole when the rule counts. */
export function keepsRule(value: number, r: MetricRule): boolean {
  return Number.isFinite(value) && value >= r.min && value <= r.max && (!r.integer || Number.isInteger(value));
}

/**
 * Adds one issue per metric value outside its rule, at path [...prefix, key], message
 * "<key> <rule>". `nameOf` maps a key to its metric (a gate min_<metric> to <metric>).
 */
export function checkMetricValues(
  values: Record<string, unknown>,
  ctx: z.RefinementCtx,
  nameOf: (key: string) => string | undefined = (k) => k,
): void {
  for (const [key, value] of Object.entries(values)) {
    const metric = nameOf(key);
    if (metric === undefined || typeof value !== 'number') continue;
    const r = metricRule(metric);
    if (!keepsRule(value, r)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} ${r.message}`, input: value });
  }
}

/** The rules in words, for the OpenAPI descriptions and README. */
export const METRIC_RULES_TEXT =
  'Ranges by metric name: accuracy, precision, recall, f1, *auc, *_rate, *_ratio in [0, 1]; *latency, *latency_ms, *_ms in ' +
  `[0, ${MAX_LATENCY_MS}] ms (as ingest); mae, mse, rmse, mape, *_error, *_loss, log_loss, brier in [0, ${MAX_MAGNITUDE}]; ` +
  `*_count, count, samples, support, n_*, num_* whole numbers ≥ 0; any other metric finite with |x| ≤ ${MAX_MAGNITUDE}.`;
