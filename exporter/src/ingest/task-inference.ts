import type { FieldProblem } from '../errors.js';
import type { Task } from './reference-profile.js';
import type { PredictionEvent, PredictionsBody } from './schemas.js';

/**
 * Task inferred from a model's first batch (README "The task of a model"): scores, or any string
 * prediction or label, mean classification; numeric predictions without scores mean regression
 * (so unscored integer 0/1 classes read as regression). A batch where every event failed decides
 * nothing. `task` in the batch or the reference upload states it instead.
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
 * What a model's task expects, how the task was set and what to do when it is not the one the
 * client meant — the tail of every 400 for a value or `task` that does not fit the model's task
 * (predictions, feedback, reference uploads). The task never changes once set, so the cure is
 * stating it from the first batch, under a new model name.
 */
export function taskOrigin(modelName: string, task: Task): string {
  return task === 'regression'
    ? `model ${modelName} is a regression model: it takes numeric predictions and labels and no scores; its task was set by its first batch or reference (numeric predictions without a score read as regression, 0/1 classes included) and does not change; a classifier states "task": "classification" in its first batch or reference upload — send these events under a new model name that does`
    : `model ${modelName} is a classification model: its predictions and labels are class names (numbers are read as names) and its scores class probabilities; its task was set by its first batch or reference (scores, or string predictions or labels, read as classification) and does not change; a regression model states "task": "regression" in its first batch or reference upload — send these events under a new model name that does`;
}

/**
 * Problems of a predictions batch against the model's task (`existing`, once known): a
 * different declared `task`, or a regression batch with non-numeric values or scores. [] when
 * the batch fits; at most 1,000 problems.
 */
export function taskProblems(existing: Task | undefined, body: PredictionsBody): FieldProblem[] {
  if (existing && body.task && body.task !== existing) {
    return [{ path: 'task', message: `this batch declares "task": "${body.task}" but ${taskOrigin(body.model, existing)}` }];
  }
  const task = existing ?? body.task ?? inferTask(body.events);
  if (task !== 'regression') return [];
  const why = existing ? taskOrigin(body.model, existing) : `this batch declares "task": "regression"`;
  const problems: FieldProblem[] = [];
  body.events.forEach((e, i) => {
    if (e.prediction !== undefined && typeof e.prediction !== 'number')
      problems.push({ path: `events[${i}].prediction`, message: `a regression model needs a numeric prediction (${why})` });
    if (e.label !== undefined && typeof e.label !== 'number')
      problems.push({ path: `events[${i}].label`, message: `a regression model needs a numeric label (${why})` });
    if (e.score !== undefined || e.scores !== undefined)
      problems.push({
        path: `events[${i}].${e.score !== undefined ? 'score' : 'scores'}`,
        message: `scores apply to classification models only (${why})`,
      });
  });
  return problems.slice(0, 1000);
}
