import type { FieldProblem } from '../errors.js';
import { EARLIER, knownClasses, showClasses } from './binary-positive.js';
import type { ModelState } from './model-state.js';
import { isFailedEvent, type FeedbackBody, type PredictionsBody } from './schemas.js';

/**
 * A model with a positive class has at most two classes (README, "Binary scores"): a binary
 * `score` is P(positive) and 1 − score the other class's, which a third class would make wrong
 * (log loss −ln ε for its labels, a row missing a class). These checks keep that invariant on
 * every route that brings classes — predictions, feedback labels, reference uploads — before
 * anything is applied; each problem names the field that brought the extra class.
 */

function tooMany(path: string, modelName: string, positive: string, where: string, classes: Set<string>): FieldProblem {
  return {
    path,
    message:
      `model ${modelName} has positive class ${JSON.stringify(positive)} (${where}), so it is binary: ` +
      `it would get the classes ${showClasses(classes)}; a model with more than two classes has no positive class ` +
      `and sends per-class scores without positive_class`,
  };
}

/**
 * A class the model registry alone states as the positive class, met by traffic that gives the
 * model a third class: the registry says binary, the classes say otherwise. Refused like any
 * other third class of a binary model, naming the field that brought it and how to clear it.
 */
function registryTooMany(path: string, modelName: string, positive: string, classes: Set<string>): FieldProblem {
  return {
    path,
    message:
      `model ${modelName}'s positive class is ${JSON.stringify(positive)} (the model registry), so it is binary: ` +
      `it would get the classes ${showClasses(classes)}; a model with more than two classes has no positive class — ` +
      `clear it (PUT /api/v1/models/${modelName}/positive-class {"positive_class": null}) and send per-class scores, ` +
      `or send these events under another model name`,
  };
}

/**
 * Why the model registry may not state `positive` as the positive class of `modelName` (POST
 * /models with positive_class, PUT /models/{model}/positive-class), from what monitoring knows of
 * the model (`model`, undefined when it has sent nothing): a regression model has no classes, and
 * a model whose classes with `positive` would be more than two is not binary. Names
 * `positive_class`; undefined when the class may be stated.
 */
export function registryPositiveProblem(model: ModelState | undefined, modelName: string, positive: string): FieldProblem | undefined {
  if (model?.task === 'regression') {
    return {
      path: 'positive_class',
      message: `model ${modelName} is a regression model: a positive class is only meaningful for a binary classifier`,
    };
  }
  const classes = knownClasses(model);
  if (classes.has(positive) ? classes.size <= 2 : classes.size < 2) return undefined;
  return {
    path: 'positive_class',
    message:
      `model ${modelName} has the classes ${showClasses(classes)}` +
      (classes.has(positive) ? '' : `, and ${JSON.stringify(positive)} is not one of them`) +
      `: a positive class is only meaningful for a binary model (two classes, one of them positive); a model with more classes sends per-class scores without one`,
  };
}

/**
 * Predictions batch: with `positive` (the class the batch settles, from the request, the registry,
 * an earlier batch or an inference; undefined when none; the registry's alone counts only for a
 * batch with binary rows or a model that has a positive class) the model's classes and the batch's
 * (predictions, labels, `scores` keys) must be at most two with it. Binary `score` rows need a
 * model of at most two classes even without one. The first problem names `positive_class` when
 * the request states it, else the event's field (`events[i].scores`, `.prediction`, `.label`).
 */
export function predictionsArityProblem(
  model: ModelState | undefined,
  body: PredictionsBody,
  positive: { name?: string; where?: string },
): FieldProblem | undefined {
  const classes = knownClasses(model);
  const live = body.events.filter((e) => !isFailedEvent(e));
  const binary = live.some((e) => e.score !== undefined);
  const stated = body.positive_class !== undefined;
  // Without binary rows a class only the registry states is not the model's yet: a registry typo
  // ("Yes") must not refuse unscored yes/no batches (binary-positive.ts reports it once scores come).
  const name = binary || stated || model?.positiveClass !== undefined ? positive.name : undefined;
  // It still says the model is binary: the classes the traffic brings may be two at most, the
  // registry's own class not counted (it may be the typo above).
  const registryOnly = name === undefined ? positive.name : undefined;
  if (name === undefined && !binary && registryOnly === undefined) return undefined;
  if (name !== undefined) classes.add(name);
  const where = positive.where ?? 'inferred';
  const over = (path: string) =>
    name !== undefined
      ? tooMany(stated ? 'positive_class' : path, body.model, name, where, classes)
      : registryOnly !== undefined
        ? registryTooMany(path, body.model, registryOnly, classes)
        : {
            path,
            message: `model ${body.model} has the classes ${showClasses(classes)}: binary score rows need a model with at most two classes; send scores per class`,
          };
  // Classes the model already has past two: the registry-only case names the first event that brings a class.
  if (classes.size > 2 && registryOnly === undefined) return over('positive_class');
  for (let i = 0; i < body.events.length; i++) {
    const e = body.events[i];
    if (isFailedEvent(e)) continue;
    const fields: Array<[string, string[]]> = [
      ['scores', e.scores ? Object.keys(e.scores) : []],
      ['prediction', e.prediction !== undefined ? [String(e.prediction)] : []],
      ['label', e.label !== undefined ? [String(e.label)] : []],
    ];
    for (const [field, names] of fields) {
      for (const n of names) classes.add(n);
      if (classes.size > 2) return over(`events[${i}].${field}`);
    }
  }
  return undefined;
}

/**
 * Feedback: labels that would give a model with a positive class — its own, or else the one the
 * model registry states (`registered`) — a third class, each naming `events[i].label`. The
 * registry's class is not counted as one of the two (as for predictions).
 */
export function feedbackArityProblems(model: ModelState, body: FeedbackBody, registered?: string): FieldProblem[] {
  const positive = model.positiveClass ?? registered;
  if (positive === undefined) return [];
  const own = model.positiveClass !== undefined;
  const classes = knownClasses(model);
  if (own) classes.add(positive);
  const problems: FieldProblem[] = [];
  body.events.forEach((e, i) => {
    const name = String(e.label);
    if (classes.has(name)) return;
    const path = `events[${i}].label`;
    const all = new Set([...classes, name]);
    if (classes.size >= 2)
      problems.push(own ? tooMany(path, model.name, positive, EARLIER, all) : registryTooMany(path, model.name, positive, all));
    else classes.add(name);
  });
  return problems;
}

/**
 * Reference upload: `positive` (the profile's, the registry's or the model's) with the model's
 * classes and the reference's calibration classes must be at most two; a binary calibration
 * (labels with `score`) needs a model of at most two classes. Names `scores` for a multiclass
 * calibration, else `positive_class`.
 */
export function referenceArityProblem(
  model: ModelState | undefined,
  modelName: string,
  positive: { name?: string; where: string },
  calibrationClasses: readonly string[] | undefined,
  registered?: string,
): FieldProblem | undefined {
  if (positive.name === undefined) {
    // Only the registry states one: the model's and the calibration's classes may be two at most.
    if (registered === undefined) return undefined;
    const classes = knownClasses(model);
    for (const c of calibrationClasses ?? []) classes.add(c);
    return classes.size > 2 ? registryTooMany('scores', modelName, registered, classes) : undefined;
  }
  const classes = knownClasses(model);
  classes.add(positive.name);
  if (classes.size > 2) return tooMany('positive_class', modelName, positive.name, positive.where, classes);
  for (const c of calibrationClasses ?? []) classes.add(c);
  if (classes.size > 2) return tooMany('scores', modelName, positive.name, positive.where, classes);
  return undefined;
}
