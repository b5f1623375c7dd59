/**
 * Colour steps of the dashboards. Every step that colours a quantity an alert judges is read from the
 * alert rules' one config (alert-rules/src/config.ts, exported as `@modelwatch/alert-rules/config`),
 * so a cell turns orange where the warning fires and red where the critical pages — never re-typed
 * here. The values are in the alert's units (seconds, ratios); every panel using them shows `s` or
 * `percentunit`/`none`, which Grafana compares in the same units (test/thresholds.test.ts checks both).
 *
 * Grafana colours a value from its step up (>=); alerts that use `>` differ only at the exact boundary.
 * Per-model overrides (config.models) cannot follow a fleet dashboard: the fleet defaults are shown.
 */
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { config as rules } from '@modelwatch/alert-rules/config';

export { rules };

/** Colour steps: `null` is the base step below the first boundary. */
function steps(...s: Array<[number | null, string]>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(s.map(([value, color]) => ({ value, color })));
}

/** "Lower is better" quantity with an alert at each of two tiers: green, orange from warning, red from critical. */
const tiered = (warning: number, critical: number): ThresholdsConfigBuilder =>
  steps([null, 'green'], [warning, 'orange'], [critical, 'red']);

/**
 * Window accuracy (ratio): orange below the retraining gate (ModelwatchRetrainingRecommended, warning).
 * No red step: the only critical accuracy alert (collapse) is relative to each version's validation
 * accuracy, which one fleet-wide step cannot express. The alert judges the upper end of the 95%
 * Wilson interval; the panel colours the point value, so it turns orange earlier on few labels —
 * intentional (the panel shows the estimate, the alert waits for evidence; docs/dashboards.md).
 */
export const accuracyBands = (): ThresholdsConfigBuilder => steps([null, 'orange'], [rules.defaults.retrainAccuracyBelow, 'green']);

/** PSI: ModelwatchFeatureDrift / ModelwatchPredictionDrift, warning at psiWarning, critical at psiCritical. */
export const psiBands = (): ThresholdsConfigBuilder => tiered(rules.drift.psiWarning, rules.drift.psiCritical);

/**
 * KS statistic: orange from ModelwatchFeatureKSDrift's effect-size floor (warning; the alert also needs
 * p < ksPvalueBelow, which a statistic's colour cannot show). No critical KS alert, so no red step.
 */
export const ksBands = (): ThresholdsConfigBuilder => steps([null, 'green'], [rules.drift.ksStatisticAbove, 'orange']);

/** JS distance: no alert judges it; 0.1 / 0.2 mark noticeable and large shifts (dashboard-only guide). */
export const jsDistanceBands = (): ThresholdsConfigBuilder => steps([null, 'green'], [0.1, 'orange'], [0.2, 'red']);

/** p99 latency in seconds: ModelwatchPredictionLatencyHigh's SLO (warning) and paging (critical) thresholds. */
export const latencySeconds = (): ThresholdsConfigBuilder =>
  tiered(rules.defaults.latencyP99Seconds, rules.defaults.latencyP99CriticalSeconds);

/** Failed share of predictions (ratio): ModelwatchPredictionErrorsHigh's warning and critical. */
export const errorRatio = (): ThresholdsConfigBuilder => tiered(rules.errors.ratioWarning, rules.errors.ratioCritical);

/** Missing share of a feature (ratio): ModelwatchFeatureMissingValues' warning and critical. */
export const missingRatio = (): ThresholdsConfigBuilder => tiered(rules.dataQuality.missingWarning, rules.dataQuality.missingCritical);

/** Out-of-range share of a feature (ratio): ModelwatchFeatureOutOfRange's warning and critical. */
export const outOfRangeRatio = (): ThresholdsConfigBuilder =>
  tiered(rules.dataQuality.outOfRangeWarning, rules.dataQuality.outOfRangeCritical);

/** Per-class precision, recall, F1: no alert judges them; the registry's staging (0.80) and production (0.85) gates guide the eye. */
export const perClassBands = (): ThresholdsConfigBuilder => steps([null, 'red'], [0.8, 'orange'], [0.85, 'green']);

/** Counts where anything above zero needs attention (firing alerts, rollbacks). */
export const anyIsBad = (): ThresholdsConfigBuilder => steps([null, 'green'], [1, 'red']);

/** Counts of things that should be up (exporters): red at 0, green from 1, so "down" is a red 0. */
export const zeroIsBad = (): ThresholdsConfigBuilder => steps([null, 'red'], [1, 'green']);

export const neutral = (): ThresholdsConfigBuilder => steps([null, 'blue']);
