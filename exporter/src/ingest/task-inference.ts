import type { FieldProblem } from '../errors.js';
import type { Task } from './reference-profile.js';
import type { PredictionEvent, PredictionsBody } from './schemas.js';

/**
 * Task inferred from a model's first batch (see README): scores, or any string prediction or
 * label, mean classification; numeric predictions without scores mean regression. A batch
 * where every event failed decides nothing. Send `task` to override.
 */
export function inferTask(events: readonly PredictionEvent[]): Task | undefined {
  let sawNumeric = false;
  for (const e of events) {
    if (e.score !== undefined || e.scores !== undefined) return 'classification';
    if (typeof e.prediction === 'string' || typeof e.label === 'string') return 'classification';
    if (typeof e.prediction === 'number') sawNumeric = true;
  }
  return sawNumeric ? 'regression' : undefined;
}

/**
 * Problems of a predictions batch against the model's task (`existing`, once known): a
 * different declared `task`, or a regression batch with non-numeric values or scores. [] when
 * the batch fits; at most 1,000 problems.
 */
export function taskProblems(existing: Task | undefined, body: PredictionsBody): FieldProblem[] {
  if (existing && body.task && body.task !== existing) {
    return [{ path: 'task', message: `model ${body.model} is a ${existing} model` }];
  }
  const task = existing ?? body.task ?? inferTask(body.events);
  if (task !== 'regression') return [];
  const problems: FieldProblem[] = [];
  body.events.forEach((e, i) => {
    if (e.prediction !== undefined && typeof e.prediction !== 'number')
      problems.push({ path: `events[${i}].prediction`, message: 'a regression model needs a numeric prediction' });
    if (e.label !== undefined && typeof e.label !== 'number')
      problems.push({ path: `events[${i}].label`, message: 'a regression model needs a numeric label' });
    if (e.score !== undefined || e.scores !== undefined)
      problems.push({
        path: `events[${i}].${e.score !== undefined ? 'score' : 'scores'}`,
        message: 'scores apply to classification models only',
      });
  });
  return problems.slice(0, 1000);
}
