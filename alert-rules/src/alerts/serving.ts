/** Serving health: latency SLO, error ratio, and traffic that stopped. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { paren, percent, perModel, recorded, series } from '../promql.js';
import { REC } from '../recording.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

// Quantiles and ratios over a trickle of traffic are noise, not a breach.
const enoughTraffic = `${recorded(REC.predictionsRate('5m'))} > ${config.minPredictionsPerSecond}`;

function latency(): AlertingRule[] {
  const tiers = [
    { severity: 'warning', key: 'latencyP99Seconds' },
    { severity: 'critical', key: 'latencyP99CriticalSeconds' },
  ] as const;
  return tiers.map(({ severity, key }) =>
    alert({
      name: 'ModelwatchPredictionLatencyHigh',
      severity,
      for: config.for.latency,
      expr: withTeam(
        `${paren(perModel(key, (m, seconds) => `${recorded(REC.latency(99), m)} > ${seconds}`))}\nand on (model, version)\n${enoughTraffic}`,
      ),
      summary: `p99 prediction latency breaches the ${severity === 'critical' ? 'paging' : 'SLO'} threshold.`,
      description:
        'p99 serving latency of {{ $labels.model }} version {{ $labels.version }} over 5 minutes is {{ $value | humanizeDuration }}, ' +
        `above ${config.defaults[key]}s (or the model's own threshold).`,
    }),
  );
}

function errors(): AlertingRule[] {
  return (['warning', 'critical'] as const).map((severity) =>
    alert({
      name: 'ModelwatchPredictionErrorsHigh',
      severity,
      for: config.for.errors,
      expr: withTeam(
        `${recorded(REC.errorRatio('5m'))} > ${config.errors[severity === 'critical' ? 'ratioCritical' : 'ratioWarning']}\nand on (model, version)\n${enoughTraffic}`,
      ),
      summary: 'The model server fails a large share of predictions.',
      description:
        '{{ $value | humanizePercentage }} of the predictions of {{ $labels.model }} version {{ $labels.version }} failed over 5 minutes ' +
        `(threshold ${percent(config.errors[severity === 'critical' ? 'ratioCritical' : 'ratioWarning'])}%).`,
    }),
  );
}

/**
 * A production model that had traffic and now has none. `unless` (rather than `rate == 0`)
 * also catches series that vanished, e.g. after an exporter restart with no new traffic.
 */
function noPredictions(): AlertingRule {
  const { quietWindow, lookback } = config.noPredictions;
  const predictions = series(metric('predictions'));
  const hadTraffic = `sum by (model) (rate(${predictions}[${lookback}] offset ${quietWindow})) > 0`;
  const hasTraffic = `sum by (model) (rate(${predictions}[${quietWindow}])) > 0`;
  const inProduction = `max by (model) (${series(metric('modelStage'), 'stage="production"')}) == 1`;
  return alert({
    name: 'ModelwatchNoPredictions',
    severity: 'warning',
    for: config.for.noPredictions,
    expr: withTeam(`(\n  ${hadTraffic}\n  unless on (model)\n  ${hasTraffic}\n)\nand on (model)\n${inProduction}`),
    summary: 'A production model stopped receiving predictions.',
    description: `{{ $labels.model }} received no predictions in the last ${quietWindow} although it had traffic in the ${lookback} before.`,
  });
}

export function servingGroup(): RuleGroup<AlertingRule> {
  return { name: 'modelwatch-serving', rules: [...latency(), ...errors(), noPredictions()] };
}
