/**
 * The one module for names (DESIGN.md "Integrity"), used by ingest, the registry API, the CLI,
 * the Grafana app's forms and alert labels. Two kinds of name, each with one rule everywhere:
 *
 * - Model and version names are identifiers: 1–128 characters of letters, digits (Unicode's:
 *   `café-model` is one), `.`, `_` and `-`, no spaces, starting with a letter or digit. They are URL path segments, CLI arguments, alert
 *   labels and database keys, so ingest refuses what the registry refuses (a model monitored as
 *   `fraud scorer` could never be registered or rolled back) and accepts what it accepts (a
 *   registered 100-character version can be monitored). The first character keeps `.`/`..` and
 *   `__other__` out; no `/`, so a name is one path segment.
 * - Feature and KPI names are column names from data (sklearn's `mean radius`, `sepal length
 *   (cm)`): 1–128 characters, no control characters, not starting or ending with whitespace, and
 *   not `__other__` (the label value cardinality bounds fold into).
 *
 * The Grafana app (another workspace, another bundle) reads the identifier rule from
 * grafana-plugin/src/api/name-rule.json, generated from this file by `npm run api -w exporter`.
 */
import { z } from 'zod';

export const NAME_MAX_LENGTH = 128;

/**
 * The identifier rule as a regular expression source. Not put in the OpenAPI document as a
 * `pattern`: `\\p{L}` is ECMAScript, and Python's `re` or Go's RE2 cannot compile it.
 */
export const NAME_PATTERN_SOURCE = `^[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}._-]{0,${NAME_MAX_LENGTH - 1}}$`;

/** With the `u` flag: letters and digits are Unicode's, lengths are code points. */
export const NAME_PATTERN = new RegExp(NAME_PATTERN_SOURCE, 'u');

/** The rule in one sentence, for error messages and docs. */
export const NAME_RULE = `1-${NAME_MAX_LENGTH} characters of letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit`;

/** The feature and KPI name rule in one sentence. */
export const FEATURE_NAME_RULE = `1-${NAME_MAX_LENGTH} characters, no control characters, not starting or ending with whitespace, not "__other__"`;

/** The kinds of name the rule covers, as error messages call them. */
export type NameKind = 'model' | 'version' | 'model name' | 'version name';

// Names repeat on every event (model, version): remember valid ones so that ingest's
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
export const nameSchema = (kind: NameKind) =>
  z.string().refine(isName, `${kind} must be a valid name: ${NAME_RULE}`).describe(`a name: ${NAME_RULE}`);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A feature or KPI name (the column-name rule); surrogates are the text rule's (text-rule.ts). */
export function isFeatureName(value: string): boolean {
  return value.length >= 1 && value.length <= NAME_MAX_LENGTH && !CONTROL.test(value) && value.trim() === value && value !== '__other__';
}

/** The column-name rule as a zod schema; the 400 names the kind and the rule. */
export const featureNameSchema = (kind: 'feature name' | 'KPI name') =>
  z.string().refine(isFeatureName, `${kind} must be a valid name: ${FEATURE_NAME_RULE}`);

/** What grafana-plugin/src/api/name-rule.json holds (the rule for another bundle). */
export function nameRuleJson(): { pattern: string; flags: string; max_length: number; rule: string } {
  return { pattern: NAME_PATTERN_SOURCE, flags: 'u', max_length: NAME_MAX_LENGTH, rule: NAME_RULE };
}
