import type { FieldProblem } from '../errors.js';
import { inferPositiveClass, POSITIVE_CLASS_RULE, UNAMBIGUOUS_BINARY_CLASSES } from '../stats/index.js';
import { OTHER } from './bounded-names.js';
import type { ModelState } from './model-state.js';
import { isFailedEvent, type PredictionsBody } from './schemas.js';

/**
 * The one positive class the sources that state one agree on (undefined when none states one),
 * or a problem naming `positive_class` and two sources that disagree: a model has one positive
 * class, whichever way it was given (request, reference profile, model registry).
 */
export function agreedPositiveClass(
  modelName: string,
  sources: Array<[where: string, positive: string | undefined]>,
): { positive?: string; where?: string; problem?: FieldProblem } {
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
  return stated[0] ? { positive: stated[0][1], where: stated[0][0] } : {};
}

/**
 * The sources of a model's positive class, in order: `first` (this request or reference), then the
 * model registry's entry when it states one — it replaces the class the model settled on earlier,
 * so that a change in the registry applies at once (README, "Binary scores") — else the class
 * the model settled on (stated or inferred by an earlier batch or reference).
 */
export function positiveSources(
  first: [where: string, positive: string | undefined],
  earlier: string | undefined,
  registered: string | undefined,
): Array<[where: string, positive: string | undefined]> {
  return [first, registered !== undefined ? ['the model registry', registered] : [EARLIER, earlier]];
}

/** How a problem names the class a model settled on before this request. */
export const EARLIER = 'stated or inferred earlier';

/** The class names a model has seen, less the fold bucket (a fresh set the caller may add to). */
export function knownClasses(model: ModelState | undefined): Set<string> {
  const names = new Set<string>();
  if (model) for (const n of model.classes.names) if (n !== OTHER) names.add(n);
  return names;
}

/** The pair a positive class settled earlier was (or could have been) inferred from, when every known class lies in it. */
function inferredPair(positive: string, known: Set<string>): readonly [string, string] | undefined {
  const pair = UNAMBIGUOUS_BINARY_CLASSES.find((p) => p[1] === positive);
  if (!pair) return undefined;
  for (const n of known) if (n !== pair[0] && n !== pair[1]) return undefined;
  return pair;
}

/** Up to four class names, quoted, for a problem's message. */
export function showClasses(names: Iterable<string>): string {
  const all = [...names];
  return (
    all
      .slice(0, 4)
      .map((n) => JSON.stringify(n))
      .join(', ') + (all.length > 4 ? ', …' : '')
  );
}

/**
 * The positive class a predictions batch settles for its model, by the shared rule
 * (stats/positive-class.ts), or the problem that makes the batch a 400 naming `positive_class`:
 * - two sources that state different classes: the request's `positive_class`, the model
 *   registry's (`registered`) or, when the registry states none, the one the model settled on
 *   (reference profile, an earlier batch);
 * - binary `score`s with no positive class stated by any source, and class names (the model's
 *   and the batch's predictions and labels) from which none can be inferred;
 * - binary `score`s whose positive class cannot be one of two classes: the batch's classes and
 *   the stated class are more than two, or the model's classes already hold two others (a phantom
 *   class — a typo in the registry, another label form — is never scored against);
 * - binary `score`s of a model whose class was inferred from {0, 1}, {"0", "1"} or
 *   {false, true} (or a part of one), in a batch with a class outside that pair: the names no
 *   longer say which class a score is the probability of, unless this request or the registry
 *   states it.
 * `positive` is undefined when the batch neither states one nor needs one.
 */
export function settlePositiveClass(
  model: ModelState | undefined,
  body: PredictionsBody,
  registered?: string,
): { positive?: string; problem?: FieldProblem } {
  const request = body.positive_class === undefined ? undefined : String(body.positive_class);
  const agreed = agreedPositiveClass(body.model, positiveSources(['this request', request], model?.positiveClass, registered));
  if (agreed.problem) return { problem: agreed.problem };
  if (!body.events.some((e) => e.score !== undefined && !isFailedEvent(e))) return { positive: agreed.positive };
  const known = knownClasses(model);
  const batch = new Set<string>();
  for (const e of body.events) {
    if (isFailedEvent(e)) continue;
    if (e.prediction !== undefined) batch.add(String(e.prediction));
    if (e.label !== undefined) batch.add(String(e.label));
  }
  const positive = agreed.positive;
  if (positive !== undefined) {
    const where = agreed.where!;
    const classes = new Set([...batch, positive]);
    const all = new Set([...known, ...batch]);
    const others = [...all].filter((n) => n !== positive);
    if (classes.size > 2 || (!all.has(positive) && others.length >= 2)) {
      const seen = classes.size > 2 ? [...batch] : others;
      return {
        problem: {
          path: 'positive_class',
          message:
            `binary scores need two classes, one of them positive_class: model ${body.model}'s positive class is "${positive}" (${where}) ` +
            `but the ${classes.size > 2 ? "batch's" : "model's"} classes are ${showClasses(seen)}; state the class a score is the probability of ` +
            `(positive_class in the request, or PUT /api/v1/models/${body.model}/positive-class)`,
        },
      };
    }
    const pair = where === EARLIER ? inferredPair(positive, known) : undefined;
    const outside = pair && [...batch].filter((n) => n !== pair[0] && n !== pair[1]);
    if (outside && outside.length > 0) {
      return {
        problem: {
          path: 'positive_class',
          message:
            `model ${body.model}'s positive class "${positive}" was inferred from its classes ${showClasses(known)}; with ${showClasses(outside)} ` +
            `they no longer say which class a score is the probability of: ${POSITIVE_CLASS_RULE}`,
        },
      };
    }
    return { positive };
  }
  const names = new Set([...known, ...batch]);
  const inferred = inferPositiveClass(names);
  if (inferred !== undefined) return { positive: inferred };
  return {
    problem: {
      path: 'positive_class',
      message: `events carry a binary score but the classes (${showClasses(names)}) do not say which one it is the probability of: ${POSITIVE_CLASS_RULE}`,
    },
  };
}

/**
 * Whether a predictions batch the checks accepted makes `positive` (settlePositiveClass's) the
 * model's own class. Always, but for a class the model registry alone states, met by a batch
 * without binary scores, that would be a third class of a model that has none of its own yet (a
 * typo, "Yes" on yes/no): that one stays the registry's, consulted on every batch, so unscored
 * batches keep being taken and the first scored one is refused naming it — settled, it made
 * every unscored batch after the first a 400 that called yes/no three classes.
 */
export function settlesPositiveClass(model: ModelState, body: PredictionsBody, positive: string): boolean {
  if (model.positiveClass !== undefined || body.positive_class !== undefined) return true;
  if (body.events.some((e) => e.score !== undefined && !isFailedEvent(e))) return true;
  const classes = knownClasses(model);
  for (const e of body.events) {
    if (isFailedEvent(e)) continue;
    if (e.prediction !== undefined) classes.add(String(e.prediction));
    if (e.label !== undefined) classes.add(String(e.label));
    for (const c in e.scores ?? {}) classes.add(c);
  }
  classes.add(positive);
  return classes.size <= 2;
}

/**
 * Labels a `/feedback` batch may not bring to a model whose positive class was inferred from
 * {0, 1}, {"0", "1"} or {false, true} (or a part of one, e.g. a lone "1"): a label outside that
 * pair shows the class names never said which class the scores were the probability of. Each is
 * a problem naming `events[i].label`; none when the model has no positive class or it was stated
 * with classes outside the pairs.
 */
export function inferredLabelProblems(model: ModelState, labels: ReadonlyArray<number | string>): FieldProblem[] {
  if (model.positiveClass === undefined) return [];
  const known = knownClasses(model);
  const pair = inferredPair(model.positiveClass, known);
  if (!pair) return [];
  const problems: FieldProblem[] = [];
  labels.forEach((l, i) => {
    const name = String(l);
    if (name === pair[0] || name === pair[1]) return;
    problems.push({
      path: `events[${i}].label`,
      message:
        `model ${model.name}'s binary scores are P(${JSON.stringify(model.positiveClass)}), inferred from its classes ${showClasses(known)}; ` +
        `label ${JSON.stringify(name)} is not one of ${showClasses(pair)}: set the positive class in the model registry ` +
        `(PUT /api/v1/models/${model.name}/positive-class) or send labels of the same form`,
    });
  });
  return problems;
}
