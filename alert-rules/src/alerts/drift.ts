/** Data drift of inputs (per feature) and of the model's output, against the reference. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { series } from '../promql.js';
import { ENOUGH_DRIFT_EVENTS, ENOUGH_FEATURE_VALUES } from '../recording.js';
import type { AlertingRule, RuleGroup, Severity } from '../rule-types.js';

/** Keeps an output alert quiet until the version's drift windows hold `minDriftEvents` events. */
const enough = (expr: string) => `(${expr})\nand on (model, version)\n${ENOUGH_DRIFT_EVENTS}`;
/** Keeps a feature's alert quiet until that feature has `minDriftEvents` values of its own in the window. */
const enoughValues = (expr: string) => `(${expr})\nand on (model, version, feature)\n${ENOUGH_FEATURE_VALUES}`;

// Replicas sharding by model expose a model's gauges from one place; `max` keeps the worst
// reading if traffic for one model is ever split.
const featurePsi = `max by (model, version, feature) (${series(metric('featurePsi'))})`;
const predictionPsi = `max by (model, version) (${series(metric('predictionPsi'))})`;

// Warning and critical overlap on purpose: the warning keeps firing while the critical is
// pending, and Alertmanager's inhibition hides the warning once the critical fires.
const tiers: readonly { severity: Severity; psi: number; label: string }[] = [
  { severity: 'warning', psi: config.drift.psiWarning, label: 'moderate' },
  { severity: 'critical', psi: config.drift.psiCritical, label: 'significant' },
];

function featureDrift(): AlertingRule[] {
  return tiers.map(({ severity, psi, label }) =>
    alert({
      name: 'ModelwatchFeatureDrift',
      severity,
      for: config.for.drift,
      expr: withTeam(enoughValues(`${featurePsi} >= ${psi}`)),
      summary: `Feature has drifted (${label} PSI) from the reference.`,
      description:
        'PSI of feature {{ $labels.feature }} of {{ $labels.model }} version {{ $labels.version }} is {{ $value | printf "%.3f" }} ' +
        `(>= ${psi}: ${label} shift from the training reference).`,
    }),
  );
}

function predictionDrift(): AlertingRule[] {
  return tiers.map(({ severity, psi, label }) =>
    alert({
      name: 'ModelwatchPredictionDrift',
      severity,
      for: config.for.drift,
      expr: withTeam(enough(`${predictionPsi} >= ${psi}`)),
      summary: `Model output has drifted (${label} PSI) from the reference.`,
      description:
        'PSI of the predictions of {{ $labels.model }} version {{ $labels.version }} is {{ $value | printf "%.3f" }} ' +
        `(>= ${psi}: ${label} shift of the output distribution).`,
    }),
  );
}

/** KS p-values collapse on large samples; the statistic guard keeps negligible shifts quiet. */
function ksDrift(): AlertingRule {
  const statistic = `max by (model, version, feature) (${series(metric('featureKsStatistic'))})`;
  const pvalue = `min by (model, version, feature) (${series(metric('featureKsPvalue'))})`;
  return alert({
    name: 'ModelwatchFeatureKSDrift',
    severity: 'warning',
    for: config.for.ks,
    expr: withTeam(enoughValues(`${statistic} > ${config.drift.ksStatisticAbove}\nand\n${pvalue} < ${config.drift.ksPvalueBelow}`)),
    summary: 'Kolmogorov-Smirnov test rejects the reference distribution for a feature.',
    description:
      'KS statistic of feature {{ $labels.feature }} of {{ $labels.model }} version {{ $labels.version }} is {{ $value | printf "%.3f" }} ' +
      `with a p-value below ${config.drift.ksPvalueBelow}: the live distribution differs from the reference.`,
  });
}

export function driftGroup(): RuleGroup<AlertingRule> {
  return { name: 'modelwatch-drift', rules: [...featureDrift(), ...predictionDrift(), ksDrift()] };
}
