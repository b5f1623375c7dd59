import type { FieldProblem } from '../errors.js';
import { inferPositiveClass, POSITIVE_CLASS_RULE } from '../stats/index.js';
import { OTHER } from './bounded-names.js';
import type { ModelState } from './model-state.js';
import type { PredictionsBody } from './schemas.js';

/**
 * The one positive class the sources that state one agree on (undefined when none states one),
 * or a problem naming `positive_class` and two sources that disagree: a model has one positive
 * class, whichever way it was given (request, reference profile, model registry).
 */
export function agreedPositiveClass(
  modelName: string,
  sources: Array<[where: string, positive: string | undefined]>,
): { positive?: string; problem?: FieldProblem } {
  const stated = sources.filter((s): s is [string, string] => s[1] !== undefined);
  const other = stated.find((s) => s[1] !== stated[0]?.[1]);
  if (stated[0] && other) {
    return {
      problem: {
        path: 'positive_class',
        message: `model ${modelName}'s positive class is "${stated[0][1]}" (${stated[0][0]}) and "${other[1]}" (${other[0]}); a model has one positive class`,
      },
    };
  }
  return { positive: stated[0]?.[1] };
}

/**
 * The positive class a predictions batch settles for its model, by the shared rule
 * (stats/positive-class.ts), or the problem that makes the batch a 400:
 * - two sources that state different classes: the request's `positive_class`, the one the model
 *   already has (reference profile, an earlier batch) and `registered`, the model registry's;
 * - binary `score`s with no positive class stated by any source, and class names (the model's
 *   and the batch's predictions and labels) from which none can be inferred.
 * `positive` is undefined when the batch neither states one nor needs one.
 */
export function settlePositiveClass(
  model: ModelState | undefined,
  body: PredictionsBody,
  registered?: string,
): { positive?: string; problem?: FieldProblem } {
  const { positive: agreed, problem } = agreedPositiveClass(body.model, [
    ['this request', body.positive_class === undefined ? undefined : String(body.positive_class)],
    ['stated or inferred earlier', model?.positiveClass],
    ['the model registry', registered],
  ]);
  if (problem) return { problem };
  if (agreed !== undefined) return { positive: agreed };
  if (!body.events.some((e) => e.score !== undefined && (e.error === undefined || e.error === false))) return {};
  const names = new Set<string>();
  if (model) for (const n of model.classes.names) if (n !== OTHER) names.add(n);
  for (const e of body.events) {
    if (e.prediction !== undefined) names.add(String(e.prediction));
    if (e.label !== undefined) names.add(String(e.label));
  }
  const inferred = inferPositiveClass(names);
  if (inferred !== undefined) return { positive: inferred };
  const shown = [...names]
    .slice(0, 3)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return {
    problem: {
      path: 'positive_class',
      message: `events carry a binary score but the classes (${shown}${names.size > 3 ? ', …' : ''}) do not say which one it is the probability of: ${POSITIVE_CLASS_RULE}`,
    },
  };
}
