import fs from 'node:fs';
import path from 'node:path';
import { config } from '@modelwatch/alert-rules/config';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR } from './helpers/paths.js';

/**
 * Issue 16: a dashboard colours a quantity an alert judges with the alert's own thresholds, so a
 * red cell means the alert's critical tier and an orange one its warning. Read from the committed
 * JSON (what Grafana loads), converted to each panel's unit.
 */

type Step = { value: number | null; color: string };
interface Panel {
  title: string;
  type: string;
  panels?: Panel[];
  targets?: { refId: string; expr?: string }[];
  transformations?: { id: string; options: { renameByName?: Record<string, string> } }[];
  fieldConfig?: {
    defaults?: { unit?: string; thresholds?: { steps: Step[] } };
    overrides?: { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] }[];
  };
}

const d = config.defaults;
/** Expected steps per quantity, in the alert's unit (seconds, ratio), base step first. */
const tiered = (warning: number, critical: number): Step[] => [
  { value: null, color: 'green' },
  { value: warning, color: 'orange' },
  { value: critical, color: 'red' },
];
const QUANTITIES: { name: string; match: RegExp; steps: Step[] }[] = [
  {
    name: 'latency',
    match: /histogram_quantile\([^,]+, .*modelwatch_prediction_latency_seconds_bucket/,
    steps: tiered(d.latencyP99Seconds, d.latencyP99CriticalSeconds),
  },
  { name: 'psi', match: /modelwatch_(feature|prediction)_psi/, steps: tiered(config.drift.psiWarning, config.drift.psiCritical) },
  {
    name: 'accuracy',
    match: /modelwatch_model_accuracy_(ratio|lower_ratio|upper_ratio)/,
    steps: [
      { value: null, color: 'orange' },
      { value: d.retrainAccuracyBelow, color: 'green' },
    ],
  },
  { name: 'errors', match: /modelwatch_prediction_errors_total/, steps: tiered(config.errors.ratioWarning, config.errors.ratioCritical) },
  {
    name: 'missing',
    match: /modelwatch_feature_missing_ratio/,
    steps: tiered(config.dataQuality.missingWarning, config.dataQuality.missingCritical),
  },
  {
    name: 'outOfRange',
    match: /modelwatch_feature_out_of_range_ratio/,
    steps: tiered(config.dataQuality.outOfRangeWarning, config.dataQuality.outOfRangeCritical),
  },
  {
    name: 'ks',
    match: /modelwatch_feature_ks_statistic/,
    steps: [
      { value: null, color: 'green' },
      { value: config.drift.ksStatisticAbove, color: 'orange' },
    ],
  },
];

/** Factor from the alert's unit (seconds or ratio) to the panel's display unit. */
const SCALE: Record<string, number> = { s: 1, ms: 1000, percentunit: 1, percent: 100, none: 1 };

interface Coloured {
  where: string;
  unit: string;
  steps: Step[];
  exprs: string[];
}

/** Every threshold set of a panel (defaults and table-column overrides) with the queries it colours. */
function coloured(dashboard: string, p: Panel): Coloured[] {
  const out: Coloured[] = [];
  const targets = p.targets ?? [];
  const fc = p.fieldConfig ?? {};
  const overrides = fc.overrides ?? [];
  const rename = Object.assign({}, ...(p.transformations ?? []).map((t) => t.options.renameByName ?? {})) as Record<string, string>;
  const byColumn = new Map(Object.entries(rename).map(([field, title]) => [title, field.replace(/^Value #/, '')]));
  const inOverride = new Set<string>();
  for (const o of overrides) {
    const t = o.properties.find((x) => x.id === 'thresholds')?.value as { steps: Step[] } | undefined;
    if (!t) continue;
    const refId = byColumn.get(o.matcher.options);
    expect(refId, `${dashboard} / ${p.title} / ${o.matcher.options}: a coloured column maps to a query`).toBeDefined();
    inOverride.add(refId!);
    const unit = (o.properties.find((x) => x.id === 'unit')?.value as string | undefined) ?? fc.defaults?.unit ?? 'none';
    const exprs = targets.filter((x) => x.refId === refId).map((x) => x.expr ?? '');
    out.push({ where: `${dashboard} / ${p.title} / ${o.matcher.options}`, unit, steps: t.steps, exprs });
  }
  if (fc.defaults?.thresholds) {
    const exprs = targets.filter((x) => !inOverride.has(x.refId)).map((x) => x.expr ?? '');
    out.push({ where: `${dashboard} / ${p.title}`, unit: fc.defaults.unit ?? 'none', steps: fc.defaults.thresholds.steps, exprs });
  }
  return out;
}

function allColoured(): Coloured[] {
  const out: Coloured[] = [];
  for (const file of fs.readdirSync(GENERATED_DIR).filter((f) => f.endsWith('.json'))) {
    const dash = JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, file), 'utf8')) as { uid: string; panels: Panel[] };
    const walk = (ps: Panel[]): void => {
      for (const p of ps) {
        out.push(...coloured(dash.uid, p));
        walk(p.panels ?? []);
      }
    };
    walk(dash.panels);
  }
  return out;
}

/** The quantity an expression shows, or undefined; a count of things over a threshold is a count, not the quantity. */
function quantityOf(expr: string): (typeof QUANTITIES)[number] | undefined {
  if (/^count\(/.test(expr.trim())) return undefined;
  return QUANTITIES.find((q) => q.match.test(expr));
}

describe('dashboard colours follow the alert rules (issue 16)', () => {
  const all = allColoured();

  it('colour each quantity an alert judges at the alert config’s warning and critical values, in the panel’s unit', () => {
    const seen = new Set<string>();
    for (const c of all) {
      const kinds = new Set(c.exprs.map(quantityOf).filter((q) => q !== undefined));
      // A single-colour set (neutral) judges nothing.
      if (kinds.size === 0 || new Set(c.steps.map((s) => s.color)).size < 2) continue;
      expect(kinds.size, `${c.where}: one threshold set colours one quantity`).toBe(1);
      const q = [...kinds][0];
      const scale = SCALE[c.unit];
      expect(scale, `${c.where}: unit ${c.unit} has a known scale`).toBeDefined();
      const want = q.steps.map((s) => ({ color: s.color, value: s.value === null ? null : s.value * scale }));
      expect(
        c.steps.map((s) => ({ color: s.color, value: s.value })),
        `${c.where} (${q.name}, unit ${c.unit})`,
      ).toEqual(want);
      seen.add(q.name);
    }
    // Not vacuous: every judged quantity is coloured somewhere.
    expect([...seen].sort()).toEqual(QUANTITIES.map((q) => q.name).sort());
  });

  it('count "drifting" models at the critical PSI, as the alert does (>=)', () => {
    const counts = all.filter((c) => c.exprs.some((e) => /^count\(.*modelwatch_feature_psi/.test(e.trim())));
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) {
      for (const e of c.exprs) expect(e, c.where).toContain(`>= ${config.drift.psiCritical})`);
      expect(c.where, c.where).toContain(`PSI ≥ ${config.drift.psiCritical}`);
    }
  });
});
