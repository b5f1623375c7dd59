import { InvalidInputError } from '../../errors.js';
import type { FieldProblem } from '../validate.js';

/** A 400 naming every problem, formatted like parseInput's. */
export function rejectProblems(problems: FieldProblem[], what = 'request body'): never {
  const head = problems
    .slice(0, 5)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ');
  throw new InvalidInputError(`invalid ${what}: ${head}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`, problems);
}
