/**
 * Regression states keep the squares of tiny errors (under 2^-500) in a sum of their own, scaled
 * (stats/regression.ts, TINY_ERROR; snapshot format 7). A snapshot keeps that sum, so a restored
 * window shows the RMSE it showed, subnormal errors included; a format-6 snapshot, written by the
 * exporter with one sum (fixtures/make-regression-v6.ts), restores with the MAE and RMSE that
 * exporter showed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FORMAT } from '../../src/durable/envelope.js';
import type { StoredModelSnapshot } from '../../src/store/snapshot-store.js';
import { apply, makeMonitor, render, restoreAll, smallConfig, snapshotAll, type Step } from './monitor-fixture.js';

interface Fixture {
  madeBy: string;
  clock: number;
  quality: string[];
  snapshots: Array<
    Omit<StoredModelSnapshot, 'state' | 'versions'> & {
      state: string;
      versions: Array<{ version: string; lastSeenMs: number; state: string }>;
    }
  >;
}

const config = smallConfig();
const quality = (text: string) => text.split('\n').filter((l) => /^modelwatch_model_(mae|rmse|window_labeled)\{/.test(l));
const rmse = (text: string) =>
  Number(
    quality(text)
      .find((l) => l.startsWith('modelwatch_model_rmse{model="reg"'))!
      .split(' ')[1],
  );
/** Regression events whose errors are `errors` (label 0). */
const errors = (from: number, values: number[]): Step => ({
  kind: 'reg',
  events: values.map((e, i) => ({ id: from + i, x: i % 6, pred: e, label: 0 })),
});

describe('regression squares in snapshots', () => {
  it('a window of subnormal and tiny errors restores with its RMSE (format 7)', () => {
    const clock = { t: 1_700_000_000_000 };
    const a = makeMonitor(config, clock);
    apply(a, clock, errors(0, [1e-320, -1e-320]));
    apply(a, clock, { kind: 'wait', ms: 90_000 });
    apply(a, clock, errors(10, [1e-320, 1e-320]));
    const text = render(a, config);
    expect(rmse(text)).toBe(1e-320);
    const snaps = snapshotAll(a);
    for (const s of snaps) for (const v of s.versions) expect(v.state[3]).toBe(SNAPSHOT_FORMAT);
    const later = { t: clock.t };
    const b = makeMonitor(config, later);
    expect(restoreAll(b, snaps)).toEqual([]);
    expect(render(b, config)).toBe(text);
    // The restored buckets leave the window as the original's do: the totals subtract exactly.
    for (const [m, c] of [
      [a, clock],
      [b, later],
    ] as const) {
      apply(m, c, { kind: 'wait', ms: 500_000 });
      apply(m, c, errors(20, [1e-200]));
    }
    expect(render(b, config)).toBe(render(a, config));
    expect(quality(render(b, config))).toContain('modelwatch_model_window_labeled{model="reg",version="v1"} 3');
    expect(Math.abs(rmse(render(b, config)) / (1e-200 / Math.sqrt(3)) - 1)).toBeLessThan(1e-15);
  });

  it('a format-6 snapshot (one sum of squares) restores with the MAE and RMSE it showed', () => {
    const v6 = JSON.parse(readFileSync(new URL('./fixtures/regression-v6.json', import.meta.url), 'utf8')) as Fixture;
    expect(v6.madeBy).toBe('snapshot format 6');
    const snaps: StoredModelSnapshot[] = v6.snapshots.map((x) => ({
      ...x,
      state: Buffer.from(x.state, 'base64'),
      versions: x.versions.map((v) => ({ ...v, state: Buffer.from(v.state, 'base64') })),
    }));
    for (const x of snaps) for (const v of x.versions) expect(v.state[3]).toBe(6);
    const clock = { t: v6.clock };
    const m = makeMonitor(config, clock);
    expect(restoreAll(m, snaps)).toEqual([]);
    expect(quality(render(m, config))).toEqual(v6.quality);
    // Once its buckets have left the window, tiny errors count in RMSE as on a fresh exporter.
    apply(m, clock, { kind: 'wait', ms: 700_000 });
    apply(m, clock, errors(100, [1e-320, 1e-320]));
    expect(rmse(render(m, config))).toBe(1e-320);
    const again = snapshotAll(m);
    for (const s of again) for (const v of s.versions) expect(v.state[3]).toBe(SNAPSHOT_FORMAT);
    const m2 = makeMonitor(config, { t: clock.t });
    expect(restoreAll(m2, again)).toEqual([]);
    expect(render(m2, config)).toBe(render(m, config));
  });
});
