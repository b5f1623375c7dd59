/** The habits every alert keeps: naming, severity, annotations, a runbook section, team routing. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { config } from '../src/config.js';
import { alertingRules } from '../src/rules.js';
import { RUNBOOK } from './helpers/tools.js';

const alerts = alertingRules().groups.flatMap((g) => g.rules);
const runbook = readFileSync(RUNBOOK, 'utf8');

/** The text of the `## name` section of the runbook, up to the next `## `. */
function section(name: string): string | undefined {
  const start = runbook.indexOf(`\n## ${name}\n`);
  if (start < 0) return undefined;
  const next = runbook.indexOf('\n## ', start + 1);
  return runbook.slice(start, next < 0 ? undefined : next);
}

describe('alert conventions', () => {
  it.each(alerts.map((a) => [a.alert, a] as const))('%s has a name, severity and annotations on-call can use', (name, a) => {
    expect(name).toMatch(/^Modelwatch[A-Z][A-Za-z0-9]+$/);
    expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
    expect(a.annotations.summary.length).toBeGreaterThan(10);
    expect(a.annotations.description.length).toBeGreaterThan(20);
    expect(a.annotations.runbook_url).toBe(`${config.runbookBaseUrl}#${name.toLowerCase()}`);
  });

  it.each([...new Set(alerts.map((a) => a.alert))])('%s has a runbook section saying what it means, how to check, what to do', (name) => {
    const text = section(name);
    expect(text, `docs/runbook.md lacks "## ${name}"`).toBeDefined();
    for (const heading of ['### What it means', '### How to check', '### What to do']) expect(text).toContain(heading);
  });

  it.each(alerts.map((a) => [a.alert, a] as const))('%s reaches a team', (_name, a) => {
    const joined = a.expr.includes('* on (model) group_left (team)\nmodel_team:modelwatch_model_info:max');
    expect(joined || a.labels.team === config.platformTeam).toBe(true);
  });

  it('sends exactly two alerts to the rollback webhook, critical and per production model version', () => {
    const rollback = alerts.filter((a) => a.labels.action === 'rollback');
    // Realized accuracy for every model; the label-free estimate for the models enabled in config.estimate.rollbackModels.
    expect(rollback.map((a) => a.alert)).toEqual(['ModelwatchAccuracyCollapse', 'ModelwatchEstimatedAccuracyRollback']);
    for (const r of rollback) {
      expect(r.labels.severity).toBe('critical');
      expect(r.expr).toContain('stage="production"');
    }
  });
});

describe('per-model settings', () => {
  // A key that matches no model is silently ignored by every rule (issue 16: `fraud-detector`
  // targeted a model no part of the repository registers). Models the repository ships: the
  // demo fleet and the model the CLI example registers.
  const root = new URL('../../', import.meta.url);
  const demoDir = new URL('exporter/src/demo/', root);
  const demo = readdirSync(demoDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(new URL(f, demoDir), 'utf8'))
    .join('\n');
  const example = readFileSync(new URL('examples/fraud-detector.sh', root), 'utf8');
  const shipped = new Set([...demo.matchAll(/model: '([^']+)'/g)].map((m) => m[1]));
  const exampleModel = /MODEL=\$\{MODEL:-([A-Za-z0-9_.-]+)\}/.exec(example)?.[1];
  if (exampleModel) shipped.add(exampleModel);

  it('name only models the repository ships', () => {
    expect(shipped.size).toBeGreaterThan(1);
    for (const model of [...Object.keys(config.models), ...config.estimate.rollbackModels]) expect(shipped, model).toContain(model);
  });
});
