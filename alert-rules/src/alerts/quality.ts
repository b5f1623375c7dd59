/** Model quality against what the version promised at registration. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { paren, percent, perModel, recorded, series } from '../promql.js';
import { ENOUGH_LABELS, REC } from '../recording.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

const validationAccuracy = `max by (model, version) (${series(metric('validationAccuracy'))})`;

/**
 * Even the upper end of the 95% Wilson interval of the last hour's accuracy is more than the
 * margin below the validation accuracy: a noisy point below the line (60 labels at 80% against
 * 90% − 5) does not fire, the same 80% over thousands of labels does. `$value` is that upper end.
 */
function accuracyBelowValidation(marginKey: 'accuracyDropMargin' | 'accuracyCollapseMargin'): string {
  return perModel(
    marginKey,
    (m, margin) => `${recorded(REC.accuracyUpper, m)}\n  < on (model, version)\n(${validationAccuracy} - ${margin})`,
  );
}

function accuracyDrop(): AlertingRule {
  return alert({
    name: 'ModelwatchAccuracyDrop',
    severity: 'warning',
    for: config.for.accuracyDrop,
    expr: withTeam(`${paren(accuracyBelowValidation('accuracyDropMargin'))}\nand on (model, version)\n${ENOUGH_LABELS}`),
    summary: 'Model accuracy is below its validation accuracy.',
    description:
      'Even the upper end of the 95% interval of the accuracy of {{ $labels.model }} version {{ $labels.version }} over the last hour ' +
      `is {{ $value | humanizePercentage }}, more than ${percent(config.defaults.accuracyDropMargin)} points (or its per-model margin) ` +
      'below the validation accuracy it was registered with.',
  });
}

/** Fires only for the production version; its action label sends it to the exporter, which rolls back. */
function accuracyCollapse(): AlertingRule {
  const inProduction = `max by (model, version) (${series(metric('modelStage'), 'stage="production"')}) == 1`;
  return alert({
    name: 'ModelwatchAccuracyCollapse',
    severity: 'critical',
    for: config.for.accuracyCollapse,
    labels: { action: 'rollback' },
    expr: withTeam(
      `${paren(accuracyBelowValidation('accuracyCollapseMargin'))}\nand on (model, version)\n${ENOUGH_LABELS}\nand on (model, version)\n${inProduction}`,
    ),
    summary: 'Production model accuracy collapsed; automatic rollback requested.',
    description:
      'Even the upper end of the 95% interval of the accuracy of production version {{ $labels.version }} of {{ $labels.model }} ' +
      `over the last hour is {{ $value | humanizePercentage }}, more than ${percent(config.defaults.accuracyCollapseMargin)} points ` +
      '(or its per-model margin) below its validation accuracy. ' +
      'Alertmanager asks the exporter to roll the model back to its previous production version.',
  });
}

export function qualityGroup(): RuleGroup<AlertingRule> {
  return { name: 'modelwatch-quality', rules: [accuracyDrop(), accuracyCollapse()] };
}
