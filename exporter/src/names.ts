/**
 * The one rule for names (DESIGN.md "Integrity"): model, version, feature and KPI names, wherever
 * they arrive — ingest, the registry API, the CLI, the Grafana app's forms, alert labels.
 *
 * A name is 1–128 characters (code points); it starts with a letter or digit; it holds letters,
 * digits, combining marks, spaces, `.`, `_` and `-`, and does not end with a space. "Letter" and
 * "digit" are Unicode's (`\p{L}`, `\p{N}`), so `température` and `fraud scorer` are names.
 *
 * Why these bounds: a name is a URL path segment (`/models/{model}`), a Prometheus label value, a
 * CLI argument and a PostgreSQL `varchar(128)` key. No `/` or `%`-escape surprises in paths, no
 * `.`/`..` segments (the first character is a letter or digit), nothing a regex matcher or shell
 * quoting treats specially beyond `.`, no control characters, and no leading `_`, so a name can
 * never be `__other__`, the label value cardinality bounds fold into. Spaces are allowed because
 * models and dataset columns are called that (`fraud scorer`, sklearn's `mean radius`).
 *
 * The Grafana app (another workspace, another bundle) uses the same rule through
 * grafana-plugin/src/api/name-rule.json, generated from this file by `npm run api -w exporter`.
 */

import { z } from 'zod';

export const NAME_MAX_LENGTH = 128;

/** The rule as a regular expression source, for the `u` flag (JSON Schema `pattern` too). */
export const NAME_PATTERN_SOURCE = `^(?=.{1,${NAME_MAX_LENGTH}}$)[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N} ._-]*[\\p{L}\\p{M}\\p{N}._-])?$`;

export const NAME_PATTERN = new RegExp(NAME_PATTERN_SOURCE, 'u');

/** The rule in one sentence, for error messages and docs. */
export const NAME_RULE =
  `1-${NAME_MAX_LENGTH} characters: letters, digits, spaces, '.', '_' and '-', ` +
  'starting with a letter or digit and not ending with a space';

/** The kinds of name the rule covers, as error messages call them. */
export type NameKind = 'model' | 'version' | 'feature name' | 'KPI name' | 'model name' | 'version name';

// Names repeat on every event (features, model, version): remember valid ones so that ingest's
// hot path tests the Unicode regex once per name, not once per event. Bounded, so a client
// sending endless distinct names costs a regex test each, never memory.
const KNOWN_VALID = new Set<string>();
const KNOWN_VALID_MAX = 10_000;

export function isName(value: string): boolean {
  if (KNOWN_VALID.has(value)) return true;
  if (!NAME_PATTERN.test(value)) return false;
  if (KNOWN_VALID.size < KNOWN_VALID_MAX) KNOWN_VALID.add(value);
  return true;
}

/** Why `value` is not a valid `kind`, naming the rule; undefined when it is. */
export function nameProblem(kind: NameKind, value: string): string | undefined {
  return isName(value) ? undefined : `${kind} ${JSON.stringify(value)} is refused: a name is ${NAME_RULE}`;
}

/** The rule as a zod schema (so it also reaches the OpenAPI document as a `pattern`); the 400 names the kind and the rule. */
export const nameSchema = (kind: NameKind) => z.string().regex(NAME_PATTERN, `${kind} must be a valid name: ${NAME_RULE}`);

/** What grafana-plugin/src/api/name-rule.json holds (the rule for another bundle). */
export function nameRuleJson(): { pattern: string; flags: string; max_length: number; rule: string } {
  return { pattern: NAME_PATTERN_SOURCE, flags: 'u', max_length: NAME_MAX_LENGTH, rule: NAME_RULE };
}
