import rule from './name-rule.json';

/**
 * The exporter's one name rule for model and version names (exporter/src/names.ts), read from
 * name-rule.json, which `npm run api -w exporter` generates from it — so a form here refuses
 * exactly what the exporter's API would, and says why in the same words.
 */
const NAME = new RegExp(rule.pattern, rule.flags);

/** The rule in one sentence, as the exporter's 400 states it. */
export const NAME_RULE: string = rule.rule;

export function isName(value: string): boolean {
  return NAME.test(value);
}

/** Why `value` is not a valid model name, or undefined when it is. */
export function modelNameProblem(value: string): string | undefined {
  return isName(value) ? undefined : `Not a valid model name: a name is ${NAME_RULE}.`;
}
