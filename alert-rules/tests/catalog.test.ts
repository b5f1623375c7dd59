/** Every series the rules read is one the exporter's catalog declares, with labels it declares. */
import { describe, expect, it } from 'vitest';
import { CATALOG, type MetricSpec } from '../../exporter/src/metrics/catalog.js';
import { alertingRules, recordingRules } from '../src/rules.js';

const recording = recordingRules().groups.flatMap((g) => g.rules);
const alerting = alertingRules().groups.flatMap((g) => g.rules);
const exprs = [...recording.map((r) => r.expr), ...alerting.map((a) => a.expr)];
const recordNames = new Set(recording.map((r) => r.record));

const specs = new Map<string, MetricSpec>();
for (const m of Object.values(CATALOG) as MetricSpec[]) {
  specs.set(m.name, m);
  if (m.type === 'histogram')
    for (const suffix of ['_bucket', '_sum', '_count'])
      specs.set(m.name + suffix, { ...m, labels: m.type === 'histogram' && suffix === '_bucket' ? [...m.labels, 'le'] : m.labels });
}
// Labels Prometheus attaches at scrape time.
const TARGET_LABELS = new Set(['job', 'instance']);

/** `name{matchers}` selectors, e.g. modelwatch_model_stage{job="modelwatch", stage="production"}. */
function selectors(expr: string): { name: string; labels: string[] }[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => ({
    name: m[1]!,
    labels: [...m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((l) => l[1]!),
  }));
}

describe('metric names in rules', () => {
  it('are all in the exporter catalog or defined by a recording rule', () => {
    const used = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\b(modelwatch_[a-z0-9_]+|[a-z_]+:modelwatch_[a-z0-9_]+:[a-z0-9_]+)\b/g)].map((m) => m[1]!)),
    );
    expect(used.size).toBeGreaterThan(10);
    const unknown = [...used].filter((n) => !specs.has(n) && !recordNames.has(n));
    expect(unknown).toEqual([]);
  });

  it('select only labels the catalog declares for that metric', () => {
    const problems: string[] = [];
    for (const expr of exprs) {
      for (const s of selectors(expr)) {
        const spec = specs.get(s.name);
        if (spec === undefined) continue; // recording rules and `up`
        for (const l of s.labels) if (!spec.labels.includes(l) && !TARGET_LABELS.has(l)) problems.push(`${s.name}{${l}}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('select raw exporter series only through the configured job selector', () => {
    for (const expr of exprs) {
      for (const s of selectors(expr)) if (specs.has(s.name)) expect(s.labels, `${s.name} in ${expr}`).toContain('job');
    }
  });
});
