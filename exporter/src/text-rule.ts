/**
 * The one rule for text that arrives in a request (DESIGN.md "Integrity"): free text may hold
 * any Unicode scalar value except control characters other than newline and tab, and object
 * keys may not be `__proto__`, `constructor` or `prototype`.
 *
 * Why: a lone UTF-16 surrogate cannot be encoded as UTF-8, so SQLite stores invalid bytes and
 * PostgreSQL a U+FFFD — the stored text is then not what was hashed into the audit chain, and
 * verification fails forever from that entry. NUL is refused by PostgreSQL (500). The three
 * keys are special in JavaScript objects: `__proto__` vanishes from a plain object (it sets
 * the prototype), the other two shadow built-ins a lookup may reach.
 */

/** Keys no request may use, at any depth. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// Control characters C0 (but \t \n) and DEL and C1, or a surrogate that is not half of a pair.
const BAD_TEXT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD_TEXT_GLOBAL = new RegExp(BAD_TEXT.source, 'g');

/** Why `text` breaks the rule (naming the first bad character and its offset), or undefined. */
export function textProblem(text: string): string | undefined {
  const m = BAD_TEXT.exec(text);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = code >= 0xd800 && code <= 0xdfff ? `a lone surrogate (${hex})` : `a control character (${hex})`;
  return `contains ${what} at offset ${m.index}; only newline and tab are allowed among control characters`;
}

/** `text` with every character the rule refuses replaced by U+FFFD (what is stored is what is hashed). */
export function normaliseText(text: string): string {
  return BAD_TEXT.test(text) ? text.replace(BAD_TEXT_GLOBAL, '\ufffd') : text;
}

export function forbiddenKeyProblem(key: string): string | undefined {
  return FORBIDDEN_KEYS.has(key) ? `"${key}" is not allowed as a key` : undefined;
}

const MAX_DEPTH = 64;

export interface TextProblem {
  /** Path to the offending value or key (for a key: the path including the key). */
  path: (string | number)[];
  message: string;
}

/**
 * Walks a parsed JSON value and reports every key and string that breaks the rule, up to
 * `limit` problems. Keys are checked with the same text rule as values. Cost: one regex test
 * per string, no allocation when everything is fine.
 */
export function findTextProblems(value: unknown, limit = 100): TextProblem[] {
  const problems: TextProblem[] = [];
  const path: (string | number)[] = [];
  const visit = (v: unknown): void => {
    if (problems.length >= limit) return;
    if (path.length > MAX_DEPTH) {
      // No request of this API nests this deep; stopping here also bounds the recursion.
      problems.push({ path: [...path], message: `nested deeper than ${MAX_DEPTH} levels` });
      return;
    }
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) problems.push({ path: [...path], message: p });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && problems.length < limit; i += 1) {
        path.push(i);
        visit(v[i]);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(v)) {
      path.push(key);
      const p = forbiddenKeyProblem(key) ?? textProblem(key);
      if (p) problems.push({ path: [...path], message: p });
      else visit((v as Record<string, unknown>)[key]);
      path.pop();
      if (problems.length >= limit) return;
    }
  };
  visit(value);
  return problems;
}

/** True when `text` passes the rule (the hot-path form of textProblem). */
export function isCleanText(text: string): boolean {
  return !BAD_TEXT.test(text);
}

/**
 * A copy of a parsed JSON value with every string (not key) normalised: for payloads written
 * by machines that cannot be asked to resend (Alertmanager), where refusing would lose the
 * message. Keys are left as they are, so the key rule still applies to them.
 */
export function normaliseStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return normaliseText(value);
  // Deeper than any valid payload: left as is for findTextProblems to refuse.
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => normaliseStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a "__proto__" key must stay an own key for the key rule to see.
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, {
      value: normaliseStrings((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
