/**
 * Snapshots written before the ROC AUC score grid widened (format 3, 1,026 bins) restore onto
 * the current grid (stats/score-histogram.ts): the fixture was written by that exporter
 * (fixtures/make-score-grid-v3.ts), and the restored monitor must show the AUC it showed.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FORMAT } from '../../src/durable/envelope.js';
import { migrateScoreBinV3, SCORE_BINS, SCORE_BINS_V3, scoreBin } from '../../src/stats/score-histogram.js';
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
});
