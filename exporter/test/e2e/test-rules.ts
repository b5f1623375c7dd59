import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_DIR } from '../cli/run-cli.js';

export const GENERATED_RULES_DIR = path.join(REPO_DIR, 'alert-rules/generated');
export const ROLLBACK_ALERT = 'ModelwatchAccuracyCollapse';
/** The label-free twin: the estimate's upper band below the gate, for models enabled in the rules' config. */
export const ESTIMATE_ROLLBACK_ALERT = 'ModelwatchEstimatedAccuracyRollback';

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; for?: string }[] }[];
}

/**
 * Copies the generated rule files into `dir`, changing one thing: the `for:` of the rollback
 * alert `alertName` (10m in production) becomes `forDuration`, so a test sees the alert go pending and
 * then fire within seconds. Expressions, labels and the 1h rate windows stay exactly as
 * generated: a 1h rate over the few seconds of data a test has is still the accuracy of
 * what was labeled, and the "enough labels" condition is a count, not a duration.
 * Returns the paths of the copies and the `for:` that was replaced.
 */
export function deriveTestRules(
  dir: string,
  forDuration: string,
  alertName: string = ROLLBACK_ALERT,
): { files: string[]; originalFor: string } {
  const files: string[] = [];
  let originalFor: string | undefined;
  for (const name of fs
    .readdirSync(GENERATED_RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort()) {
    const text = fs.readFileSync(path.join(GENERATED_RULES_DIR, name), 'utf8');
    const rules = parse(text) as RuleFile;
    const collapse = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert === alertName);
    const target = path.join(dir, name);
    if (collapse.length === 0) {
      fs.writeFileSync(target, text);
    } else {
      if (collapse.length !== 1 || originalFor !== undefined || !collapse[0].for)
        throw new Error(`expected exactly one ${alertName} rule with a for: duration in ${GENERATED_RULES_DIR}`);
      originalFor = collapse[0].for;
      collapse[0].for = forDuration;
      fs.writeFileSync(target, stringify(rules, { lineWidth: 0 }));
    }
    files.push(target);
  }
  if (originalFor === undefined) throw new Error(`no ${alertName} rule in ${GENERATED_RULES_DIR}`);
  return { files, originalFor };
}
