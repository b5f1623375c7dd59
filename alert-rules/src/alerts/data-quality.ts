/** Data quality of the inputs: missing values, values outside the reference range, schema breaks. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { percent, recorded, series } from '../promql.js';
import { ENOUGH_DRIFT_EVENTS, ENOUGH_FEATURE_VALUES, REC } from '../recording.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

function tiered(
  name: string,
  key: 'featureMissing' | 'featureOutOfRange',
  thresholds: { warning: number; critical: number },
  what: string,
): AlertingRule[] {
  const ratio = `max by (model, version, feature) (${series(metric(key))})`;
  // The missing ratio rests on the version's events (missing ones included); the out-of-range
  // ratio on the feature's own values.
  const enough =
    key === 'featureMissing' ? `on (model, version)\n${ENOUGH_DRIFT_EVENTS}` : `on (model, version, feature)\n${ENOUGH_FEATURE_VALUES}`;
  return (['warning', 'critical'] as const).map((severity) =>
    alert({
      name,
      severity,
      for: config.for.dataQuality,
      expr: withTeam(`(${ratio} > ${thresholds[severity]})\nand ${enough}`),
      summary: `Feature values are ${what}.`,
      description:
        `{{ $value | humanizePercentage }} of the values of feature {{ $labels.feature }} of {{ $labels.model }} version {{ $labels.version }} ` +
        `in the window are ${what} (threshold ${percent(thresholds[severity])}%).`,
    }),
  );
}

function schemaViolations(): AlertingRule {
  const violations = `sum by (model, version) (rate(${series(metric('schemaViolations'))}[5m]))`;
  return alert({
    name: 'ModelwatchSchemaViolations',
    severity: 'warning',
    for: config.for.schema,
    expr: withTeam(
      `${violations}\n/ on (model, version)\n${recorded(REC.predictionsRate('5m'))}\n> ${config.dataQuality.schemaViolationsPerPrediction}`,
    ),
    summary: 'Prediction requests break the reference schema.',
    description:
      '{{ $labels.model }} version {{ $labels.version }} receives {{ $value | printf "%.3f" }} schema violations (unknown features, wrong types) per prediction ' +
      `(threshold ${config.dataQuality.schemaViolationsPerPrediction}).`,
  });
}

export function dataQualityGroup(): RuleGroup<AlertingRule> {
  const dq = config.dataQuality;
  return {
    name: 'modelwatch-data-quality',
    rules: [
      ...tiered(
        'ModelwatchFeatureMissingValues',
        'featureMissing',
        { warning: dq.missingWarning, critical: dq.missingCritical },
        'missing or null',
      ),
      ...tiered(
        'ModelwatchFeatureOutOfRange',
        'featureOutOfRange',
        { warning: dq.outOfRangeWarning, critical: dq.outOfRangeCritical },
        "outside the reference's range",
      ),
      schemaViolations(),
    ],
  };
}
