import type { z } from 'zod';
import { InvalidInputError } from '../errors.js';

export interface FieldProblem {
  /** Where, as a JS-like path: `events[3].features.age`. */
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(body)';
}

/** Parses or throws a 400 that names every bad field; nothing is applied on failure. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems: FieldProblem[] = result.error.issues.slice(0, 1000).map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new InvalidInputError(`invalid ${what}: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`, problems);
}
