import { describe, expect, it } from 'vitest';
import { loadGeneratedDashboards } from './helpers/dashboard-queries.js';

/**
 * The units review as a test: a panel's unit says what its queries measure. Per-second rates of
 * event counters read per second (Grafana's throughput units), durations in seconds, ratios as
 * percent (0–1), differences of two ratios in percentage points. Metric suffixes follow Prometheus's naming conventions
 * (https://prometheus.io/docs/practices/naming/): `_total` counters, `_seconds`, `_ratio`.
 */
const PER_SECOND = ['reqps', 'eps', 'cps', 'ops'];

type Expectation = { why: string; units: string[] };

/** What unit a panel's single measured quantity needs, from its first query; null when the rule does not decide. */
function expectedUnit(expr: string): Expectation | null {
  // count(…) counts series (models, features), whatever they hold.
  if (/^\s*count\(/.test(expr)) return null;
  const ratioOfRates = /\)\s*\/\s*(ignoring\s*\([^)]*\)\s*group_left\s*)?(sum|\()/.test(expr);
  if (/histogram_quantile\([^,]+,.*_seconds_bucket/.test(expr)) return { why: 'a latency quantile', units: ['s'] };
  // Two ratios subtracted give percentage points: "+2%" would read as relative to the champion.
  if (/_ratio\b[^-]*\s-\s.*_ratio\b/.test(expr))
    return /^\s*100\s*\*/.test(expr)
      ? { why: 'a difference of two ratios, ×100', units: ['suffix:pp'] }
      : { why: 'a difference of two ratios must be scaled ×100 and read in pp', units: [] };
  if (/_ratio\b/.test(expr) || ratioOfRates) return { why: 'a ratio', units: ['percentunit'] };
  if (/\brate\(\s*modelwatch_[a-z_]+_total\b/.test(expr) && !/_seconds_total/.test(expr))
    return { why: 'a per-second rate of events', units: PER_SECOND };
  if (/^\s*\w*\(?\s*(max\()?scrape_duration_seconds|_seconds\{/.test(expr)) return { why: 'a duration', units: ['s'] };
  return null;
}

describe('dashboard units', () => {
  const dashboards = loadGeneratedDashboards();
  const cases = dashboards.flatMap((d) =>
    d.panels
      .filter((p) => p.type === 'timeseries' || p.type === 'stat' || p.type === 'bargauge')
      .map((p) => {
        const expr = p.targets?.[0]?.expr ?? '';
        const unit = (p.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults?.unit ?? '(none)';
        return { name: `${d.uid} / ${p.title}`, expr, unit };
      })
      .filter((c) => expectedUnit(c.expr) !== null),
  );

  it('reviewed a real number of panels', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)('$name', ({ expr, unit }) => {
    const want = expectedUnit(expr)!;
    expect(want.units, `${want.why}: ${expr}`).toContain(unit);
  });
});
