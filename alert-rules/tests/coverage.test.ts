/** The promtool unit tests must exercise every alert both firing and not firing, and every recording rule. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertingRules, recordingRules } from '../src/rules.js';
import { promtoolTestFiles } from './helpers/tools.js';

interface ExpAlert {
  exp_labels?: Record<string, string>;
}
interface AlertTest {
  alertname: string;
  exp_alerts?: ExpAlert[] | null;
}
interface TestFile {
  rule_files: string[];
  tests: { alert_rule_test?: AlertTest[]; promql_expr_test?: { expr: string }[] }[];
}

const files = promtoolTestFiles().map((f) => ({ name: path.basename(f), doc: parse(readFileSync(f, 'utf8')) as TestFile }));
const alertTests = files.flatMap((f) => f.doc.tests.flatMap((t) => t.alert_rule_test ?? []));
const exprTests = files.flatMap((f) => f.doc.tests.flatMap((t) => t.promql_expr_test ?? []));
const alerts = alertingRules().groups.flatMap((g) => g.rules);

describe('promtool unit test coverage', () => {
  it('finds test files that load the generated rules', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.doc.rule_files, f.name).toContain('../generated/modelwatch.rules.yml');
  });

  it.each(alerts.map((a) => [`${a.alert} ${JSON.stringify(a.labels)}`, a] as const))('fires %s in some test', (_name, rule) => {
    const fired = alertTests.some(
      (t) =>
        t.alertname === rule.alert &&
        (t.exp_alerts ?? []).some((e) => Object.entries(rule.labels).every(([k, v]) => e.exp_labels?.[k] === v)),
    );
    expect(fired).toBe(true);
  });

  it.each([...new Set(alerts.map((a) => a.alert))])('shows %s not firing in some test', (name) => {
    expect(alertTests.some((t) => t.alertname === name && (t.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it.each(recordingRules().groups.flatMap((g) => g.rules.map((r) => r.record)))('checks the value of %s', (record) => {
    expect(
      exprTests.some((t) => new RegExp(`(^|[^a-z0-9_:])${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9_:]|$)`).test(t.expr)),
    ).toBe(true);
  });

  it('has no tests for alerts that do not exist', () => {
    const names = new Set(alerts.map((a) => a.alert));
    for (const t of alertTests) expect(names.has(t.alertname), t.alertname).toBe(true);
  });
});
