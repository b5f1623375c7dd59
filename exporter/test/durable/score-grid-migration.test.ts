/**
 * Snapshots written before the ROC AUC score grid widened (format 3, 1,026 bins) restore onto
 * the current grid (stats/score-histogram.ts): the fixture was written by that exporter
 * (fixtures/make-score-grid-v3.ts), and the restored monitor must show the AUC it showed.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FORMAT } from '../../src/durable/envelope.js';
import { internals, type ClassificationInternals } from '../../src/durable/internals.js';
import { aucWithBound, EXACT_SCORE_BINS, migrateScoreBinV3, SCORE_BINS, SCORE_BINS_V3, scoreBin } from '../../src/stats/score-histogram.js';
import type { StoredModelSnapshot } from '../../src/store/snapshot-store.js';
import { scoreBinV3 } from '../stats/old-score-grid.js';
import { apply, makeMonitor, render, restoreAll, smallConfig, snapshotAll } from './monitor-fixture.js';

interface Fixture {
  madeBy: string;
  clock: number;
  rocAuc: string[];
  clfClass1: { positives: Array<[number, number]>; negatives: Array<[number, number]> };
  snapshots: Array<
    Omit<StoredModelSnapshot, 'state' | 'versions'> & {
      state: string;
      versions: Array<{ version: string; lastSeenMs: number; state: string }>;
    }
  >;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/score-grid-v3.json', import.meta.url), 'utf8')) as Fixture;
const snapshots = (): StoredModelSnapshot[] =>
  fixture.snapshots.map((s) => ({
    ...s,
    state: Buffer.from(s.state, 'base64'),
    versions: s.versions.map((v) => ({ ...v, state: Buffer.from(v.state, 'base64') })),
  }));

describe('score grid migration (snapshot format 3 → 4)', () => {
  it('old bins inside ±16 are unions of new bins: every score lands in the bin its old bin moves to', () => {
    expect(SCORE_BINS_V3).toBe(1026);
    fc.assert(
      fc.property(fc.double({ min: 1.2e-7, max: 1 - 1.2e-7, noNaN: true }), (p) => {
        expect(migrateScoreBinV3(scoreBinV3(p))).toBe(scoreBin(p));
      }),
      { numRuns: 2000 },
    );
    // Old bins keep their order, and the old open bins go next to the fine bins, not to p = 0 or 1.
    const moved = Array.from({ length: SCORE_BINS_V3 }, (_, i) => migrateScoreBinV3(i));
    for (let i = 1; i < moved.length; i++) expect(moved[i]).toBeGreaterThan(moved[i - 1]);
    expect(moved[0]).toBe(scoreBin(1e-7)); // logit −16.1, in [−16.125, −16)
    expect(moved[0]).not.toBe(scoreBin(0));
    expect(moved[SCORE_BINS_V3 - 1]).toBe(scoreBin(1 - 1e-7));
    expect(moved[SCORE_BINS_V3 - 1]).not.toBe(scoreBin(1));
    expect(() => migrateScoreBinV3(SCORE_BINS_V3)).toThrow(RangeError);
  });

  it('a monitor snapshotted by the old exporter restores with the same ROC AUC, its counts moved bin by bin', () => {
    expect(fixture.madeBy).toBe('snapshot format 3, SCORE_BINS 1026');
    const snaps = snapshots();
    for (const s of snaps) for (const v of s.versions) expect(v.state[3]).toBe(3);
    const config = smallConfig();
    const clock = { t: fixture.clock };
    const m = makeMonitor(config, clock);
    expect(restoreAll(m, snaps)).toEqual([]);
    const text = render(m, config);
    expect(text.split('\n').filter((l) => l.startsWith('modelwatch_model_roc_auc{'))).toEqual(fixture.rocAuc);

    const h = m.models.get('clf')!.versions.get('v1')!.probabilities!.total.histograms(1)!;
    expect(h.positives.length).toBe(SCORE_BINS);
    for (const [name, old] of [
      ['positives', fixture.clfClass1.positives],
      ['negatives', fixture.clfClass1.negatives],
    ] as const) {
      const expected = new Array<number>(SCORE_BINS).fill(0);
      for (const [bin, n] of old) expected[migrateScoreBinV3(bin)] += n;
      expect(Array.from(h[name]), name).toEqual(expected);
    }

    // Written again it is format 4, and reads back to the same statistics, also under more traffic.
    const again = snapshotAll(m);
    for (const s of again) for (const v of s.versions) expect(v.state[3]).toBe(SNAPSHOT_FORMAT);
    const m2 = makeMonitor(config, { t: clock.t });
    expect(restoreAll(m2, again)).toEqual([]);
    expect(render(m2, config)).toBe(text);
    const more = { kind: 'clf' as const, events: [{ id: 500, x: 1, color: 'red', pred: 'b', score: 1e-20, label: 'b' }] };
    const clock2 = { t: clock.t };
    apply(m, clock, more);
    const m3 = makeMonitor(config, clock2);
    restoreAll(m3, again);
    apply(m3, clock2, more);
    expect(render(m3, config)).toBe(render(m, config));
  });

  it('a format-5 monitor (second grid zoomed on the range) restores; the fixed grid carries its AUC until its buckets leave the window', () => {
    const v5 = JSON.parse(readFileSync(new URL('./fixtures/score-grid-v5.json', import.meta.url), 'utf8')) as Fixture;
    expect(v5.madeBy).toBe('snapshot format 5');
    const snaps = v5.snapshots.map((x) => ({
      ...x,
      state: Buffer.from(x.state, 'base64'),
      versions: x.versions.map((v) => ({ ...v, state: Buffer.from(v.state, 'base64') })),
    }));
    for (const x of snaps) for (const v of x.versions) expect(v.state[3]).toBe(5);
    const config = smallConfig();
    const clock = { t: v5.clock };
    const m = makeMonitor(config, clock);
    expect(restoreAll(m, snaps)).toEqual([]);
    const total = () => m.models.get('clf')!.versions.get('v1')!.probabilities!.total;
    const h = total().histograms(1)!;
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(sum(h.positives) + sum(h.negatives)).toBe(120);
    // The adaptive grid holds none of the restored scores, so its counts are not offered for AUC.
    const i = internals<ClassificationInternals>(total());
    expect(sum(i.adaptivePositives[1].view()) + sum(i.adaptiveNegatives[1].view())).toBe(0);
    expect(h.adaptivePositives).toBeUndefined();
    const fixed = aucWithBound(h.positives, h.negatives, EXACT_SCORE_BINS)!;
    const line = (name: string) =>
      Number(
        render(m, config)
          .split('\n')
          .find((l) => l.startsWith(`${name}{`))!
          .split(' ')[1],
      );
    expect(line('modelwatch_model_roc_auc')).toBe(fixed.auc);
    expect(line('modelwatch_model_roc_auc_error_bound')).toBe(fixed.bound);

    // New scores while the old buckets are still in the window: the fixed grid still (the adaptive
    // one holds only the new ones).
    const band = (from: number, round: number) =>
      Array.from({ length: 40 }, (_, i) => {
        const positive = (i * 7 + round) % 10 < 4;
        const score = i === 0 ? 0.01 : 0.5 + 0.0015 * (((i * 37 + round * 11) % 40) / 40) + (positive ? 0.0005 : 0);
        return { id: from + i, x: i % 10, color: 'red', pred: score >= 0.5 ? 'b' : 'a', score, label: positive ? 'b' : 'a' };
      });
    apply(m, clock, { kind: 'clf', events: band(1000, 5) });
    const h2 = total().histograms(1)!;
    expect(line('modelwatch_model_roc_auc')).toBe(aucWithBound(h2.positives, h2.negatives, EXACT_SCORE_BINS)!.auc);

    // Once every restored bucket has left the window, the adaptive grid holds every score and
    // resolves the band: the AUC of the events in the window, within its (small) bound.
    apply(m, clock, { kind: 'wait', ms: 700_000 });
    const events = [...band(2000, 6), ...band(3000, 7)];
    apply(m, clock, { kind: 'clf', events });
    let pairs = 0;
    let wins = 0;
    for (const p of events)
      if (p.label === 'b')
        for (const n of events)
          if (n.label === 'a') {
            pairs++;
            wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
          }
    const bound = line('modelwatch_model_roc_auc_error_bound');
    expect(bound).toBeLessThan(0.005);
    expect(Math.abs(line('modelwatch_model_roc_auc') - wins / pairs)).toBeLessThanOrEqual(bound);
    expect(fixed.bound).toBeGreaterThan(0.1); // what the fixed grid alone could say about such a band
  });

  it('a format-6 monitor (no quantile grids) restores as it showed, starts them at the next interval, and round-trips them in the current format', () => {
    const v6 = JSON.parse(readFileSync(new URL('./fixtures/score-grid-v6.json', import.meta.url), 'utf8')) as Fixture;
    expect(v6.madeBy).toBe('snapshot format 6');
    const decode = (f: Fixture) =>
      f.snapshots.map((x) => ({
        ...x,
        state: Buffer.from(x.state, 'base64'),
        versions: x.versions.map((v) => ({ ...v, state: Buffer.from(v.state, 'base64') })),
      }));
    for (const x of decode(v6)) for (const v of x.versions) expect(v.state[3]).toBe(6);
    const config = smallConfig();
    const clock = { t: v6.clock };
    const m = makeMonitor(config, clock);
    expect(restoreAll(m, decode(v6))).toEqual([]);
    const rocLines = (mm: typeof m) =>
      render(mm, config)
        .split('\n')
        .filter((l) => l.startsWith('modelwatch_model_roc_auc'));
    expect(rocLines(m)).toEqual(v6.rocAuc);
    const version = () => m.models.get('clf')!.versions.get('v1')!;
    const grid = () => internals<ClassificationInternals>(version().probabilities!.total).grid!.quantile;
    expect([grid().active(0), grid().active(1)]).toEqual([false, false]);

    // Traffic over the next intervals starts the generations; a snapshot in the current format taken while
    // one is filling restores to a monitor that then shows exactly what this one shows.
    const band = (from: number) =>
      Array.from({ length: 60 }, (_, i) => {
        const positive = (i * 7) % 10 < 4;
        const score = 0.5 + 0.0015 * (((i * 37) % 60) / 60) + (positive ? 0.0005 : 0);
        return { id: from + i, x: i % 10, color: 'red', pred: 'b', score, label: positive ? 'b' : 'a' };
      });
    for (let round = 0; round < 3; round++) {
      apply(m, clock, { kind: 'wait', ms: 120_000 });
      apply(m, clock, { kind: 'clf', events: band(10_000 + 100 * round) });
    }
    expect([grid().active(0), grid().active(1)]).toEqual([true, true]);
    const again = snapshotAll(m);
    for (const x of again) for (const v of x.versions) expect(v.state[3]).toBe(SNAPSHOT_FORMAT);
    const clock2 = { t: clock.t };
    const m2 = makeMonitor(config, clock2);
    expect(restoreAll(m2, again)).toEqual([]);
    expect(render(m2, config)).toBe(render(m, config));
    for (let round = 3; round < 9; round++) {
      for (const [mm, c] of [
        [m, clock],
        [m2, clock2],
      ] as const) {
        apply(mm, c, { kind: 'wait', ms: 120_000 });
        apply(mm, c, { kind: 'clf', events: band(10_000 + 100 * round) });
      }
      expect(render(m2, config)).toBe(render(m, config));
    }
  });
});
