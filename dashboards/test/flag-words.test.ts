import { describe, expect, it } from 'vitest';
import { loadGeneratedDashboards } from './helpers/dashboard-queries.js';

/**
 * A stat over a 0/1 verdict gauge says the verdict in words: a bare red "1" asked on-call to
 * know what 1 meant (Grafana value mappings, type "value").
 */
const FLAGS = /\bmodelwatch_retrain_recommended\b/;

describe('0/1 verdicts read as words', () => {
  const stats = loadGeneratedDashboards().flatMap((d) =>
    d.panels
      .filter((p) => p.type === 'stat' && (p.targets ?? []).some((t) => FLAGS.test(t.expr ?? '')))
      .map((p) => ({ name: `${d.uid} / ${p.title}`, p })),
  );

  it('found the verdict stats', () => {
    expect(stats.length).toBeGreaterThan(0);
  });

  it.each(stats)('$name maps 0 and 1 to text', ({ p }) => {
    const mappings =
      (p.fieldConfig as { defaults?: { mappings?: Array<{ type: string; options: Record<string, { text?: string }> }> } }).defaults
        ?.mappings ?? [];
    const words = Object.fromEntries(
      mappings.filter((m) => m.type === 'value').flatMap((m) => Object.entries(m.options).map(([k, v]) => [k, v.text])),
    );
    expect(words['0']).toMatch(/[a-z]/);
    expect(words['1']).toMatch(/[a-z]/);
    expect(words['0']).not.toBe(words['1']);
  });
});
