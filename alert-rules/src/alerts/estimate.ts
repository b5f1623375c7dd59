/** The label-free estimate of accuracy (CBPE) against the model's gate, before labels arrive. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { paren, perModel, series } from '../promql.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

const MODEL_NAME = /^[A-Za-z0-9_.:-]+$/;

/**
 * Upper end of the estimated accuracy's 95% band below the (per-model) gate, for versions whose
 * estimate rests on at least `estimate.minEvents` scored predictions. Replicas each expose their
 * own window: the highest upper band and the largest window are taken, so one replica with few
 * events cannot fire it alone. `extra` narrows the models (e.g. those enabled for rollback).
 */
function upperBandBelowGate(extra = ''): string {
  const enough = `max by (model, version) (${series(metric('estimatedEvents'), extra)}) >= ${config.estimate.minEvents}`;
  const below = perModel(
    'estimatedAccuracyGate',
    (m, gate) => `max by (model, version) (${series(metric('estimatedAccuracyUpper'), m, extra)})\n  < ${gate}`,
  );
  return `${paren(below)}\nand on (model, version)\n${enough}`;
}

function estimatedAccuracyLow(): AlertingRule {
  return alert({
    name: 'ModelwatchEstimatedAccuracyLow',
    severity: 'warning',
    for: config.for.estimatedAccuracy,
    expr: withTeam(upperBandBelowGate()),
    summary: 'Estimated accuracy (without labels) is below the model gate.',
    description:
      'Even the upper end of the 95% band of the label-free accuracy estimate of {{ $labels.model }} version ' +
      '{{ $labels.version }} is {{ $value | humanizePercentage }}, below the gate ' +
      `(${config.defaults.estimatedAccuracyGate} or the model's own). The estimate assumes the reference calibration still holds.`,
  });
}

/** Production versions of the models enabled in `estimate.rollbackModels`: the exporter rolls them back. */
function estimatedAccuracyRollback(): AlertingRule | undefined {
  const models = config.estimate.rollbackModels;
  if (models.length === 0) return undefined;
  for (const m of models)
    if (!MODEL_NAME.test(m)) throw new Error(`model ${JSON.stringify(m)} in estimate.rollbackModels is not a plain label value`);
  const only = `model=~"${models.map((m) => m.replace(/\./g, '\\\\.')).join('|')}"`;
  const inProduction = `max by (model, version) (${series(metric('modelStage'), 'stage="production"', only)}) == 1`;
  return alert({
    name: 'ModelwatchEstimatedAccuracyRollback',
    severity: 'critical',
    for: config.for.estimatedAccuracyRollback,
    labels: { action: 'rollback' },
    expr: withTeam(`${paren(upperBandBelowGate(only))}\nand on (model, version)\n${inProduction}`),
    summary: 'Production model is estimated below its gate without labels; automatic rollback requested.',
    description:
      'The upper end of the 95% band of the label-free accuracy estimate of production version {{ $labels.version }} of ' +
      '{{ $labels.model }} is {{ $value | humanizePercentage }}, below its gate. The model is enabled for rollback on its ' +
      'estimate: Alertmanager asks the exporter to roll it back to its previous production version before labels arrive.',
  });
}

export function estimateGroup(): RuleGroup<AlertingRule> {
  const rollback = estimatedAccuracyRollback();
  return { name: 'modelwatch-estimate', rules: rollback ? [estimatedAccuracyLow(), rollback] : [estimatedAccuracyLow()] };
}
