import type { z } from 'zod';
import { InvalidInputError, type FieldProblem } from '../errors.js';
import { findTextProblems } from '../text-rule.js';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(body)';
}

/**
 * Parses or throws a 400 that names every bad field; nothing is applied on failure. Every
 * input first passes the one text rule (text-rule.ts: no lone surrogates or control characters
 * but newline and tab, no `__proto__`/`constructor`/`prototype` keys), so that no endpoint's
 * schema can forget it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  const textProblems = findTextProblems(value);
  if (textProblems.length)
    rejectProblems(
      textProblems.map((p) => ({ path: formatPath(p.path), message: p.message })),
      what,
    );
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  return rejectProblems(
    result.error.issues.slice(0, 1000).map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })),
    what,
  );
}

/** A record key's own problem (say, the name rule) rather than zod's generic "Invalid key in record". */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return issue.issues.map((i) => i.message).join('; ');
  return issue.message;
}

/** A 400 naming every problem: the first five in the message, all of them in `details`. */
export function rejectProblems(problems: FieldProblem[], what = 'request body'): never {
  const head = problems
    .slice(0, 5)
    .map((p) => `${p.path}: ${p.message}`)
    .join('; ');
  throw new InvalidInputError(`invalid ${what}: ${head}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`, problems);
}
