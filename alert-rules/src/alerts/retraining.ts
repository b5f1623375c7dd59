/**
 * The seed's retraining rule (accuracy < 0.85 or drift > 0.1), with thresholds per model.
 * Two rules share the alert name and say which condition tripped in their `reason` label.
 */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { paren, perModel, recorded, series } from '../promql.js';
import { ENOUGH_DRIFT_EVENTS, ENOUGH_FEATURE_VALUES, ENOUGH_LABELS, REC } from '../recording.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

function byAccuracy(): AlertingRule {
  return alert({
    name: 'ModelwatchRetrainingRecommended',
    severity: 'info',
    for: config.for.retraining,
    labels: { reason: 'accuracy' },
    expr: withTeam(
      // The interval's upper end, as the quality alerts: a noisy point under the threshold is not enough.
      `${paren(perModel('retrainAccuracyBelow', (m, t) => `${recorded(REC.accuracyUpper, m)} < ${t}`))}\nand on (model, version)\n${ENOUGH_LABELS}`,
    ),
    summary: 'Retraining recommended: accuracy is below the retraining threshold.',
    description:
      'Even the upper end of the 95% interval of the accuracy of {{ $labels.model }} version {{ $labels.version }} over the last hour ' +
      `is {{ $value | humanizePercentage }}, below its retraining threshold (${config.defaults.retrainAccuracyBelow} unless set per model).`,
  });
}

function byDrift(): AlertingRule {
  return alert({
    name: 'ModelwatchRetrainingRecommended',
    severity: 'info',
    for: config.for.retraining,
    labels: { reason: 'drift' },
    expr: withTeam(
      paren(
        perModel(
          'retrainDriftPsiAbove',
          // Feature PSI carries a feature label and output PSI does not, so `or` keeps both and max sees all.
          // Each counts only on its own sample: a feature's values, the output's events.
          (m, t) =>
            `max by (model, version) (\n  (${series(metric('featurePsi'), m)} and on (model, version, feature) ${ENOUGH_FEATURE_VALUES})\n  or\n  (${series(metric('predictionPsi'), m)} and on (model, version) ${ENOUGH_DRIFT_EVENTS})\n) > ${t}`,
        ),
      ),
    ),
    summary: 'Retraining recommended: inputs or outputs drifted past the retraining threshold.',
    description:
      'The largest PSI (over features and the output) of {{ $labels.model }} version {{ $labels.version }} is {{ $value | printf "%.3f" }}, ' +
      `above its retraining threshold (${config.defaults.retrainDriftPsiAbove} unless set per model).`,
  });
}

export function retrainingGroup(): RuleGroup<AlertingRule> {
  return { name: 'modelwatch-retraining', rules: [byAccuracy(), byDrift()] };
}
