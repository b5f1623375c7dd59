/**
 * Pending predictions expire MODELWATCH_PENDING_PREDICTION_SECONDS after they arrived, also
 * across a restart: format 8 snapshots keep the arrival times and the expired ids, and a format 6
 * snapshot (written before either existed: fixtures/make-pending-v6.ts) restores its predictions
 * as arriving with the model's last batch, so none expires before its time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FORMAT } from '../../src/durable/envelope.js';
import type { Monitor } from '../../src/ingest/monitor.js';
import type { StoredModelSnapshot } from '../../src/store/snapshot-store.js';
import { apply, makeMonitor, restoreAll, smallConfig, snapshotAll } from './monitor-fixture.js';

interface Fixture {
  madeBy: string;
  clock: number;
  pending: string[];
  snapshots: Array<
    Omit<StoredModelSnapshot, 'state' | 'versions'> & {
      state: string;
      versions: Array<{ version: string; lastSeenMs: number; state: string }>;
    }
  >;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/pending-v6.json', import.meta.url), 'utf8')) as Fixture;
const T0 = 1_700_000_000_000;
const config = smallConfig({ MODELWATCH_PENDING_PREDICTION_SECONDS: '120' });
const events = (from: number) =>
  Array.from({ length: 5 }, (_, i) => ({ id: from + i, x: i, color: 'red', pred: i % 2 ? 'b' : 'a', score: i % 2 ? 0.8 : 0.3 }));
const label = (m: Monitor, ...ids: number[]) =>
  m.applyFeedback({ model: 'clf', events: ids.map((i) => ({ id: `c${i}`, label: 'b' })) } as never);

describe('pending predictions expire across a restart', () => {
  it('format 8: arrival times and expired ids come back; the restored monitor expires and answers as the one that ran on', () => {
    const clock = { t: T0 };
    const a = makeMonitor(config, clock);
    apply(a, clock, { kind: 'clf', events: events(0) });
    apply(a, clock, { kind: 'wait', ms: 60_000 });
    apply(a, clock, { kind: 'clf', events: events(5) });
    clock.t = T0 + 130_000;
    a.expirePendingPredictions();
    expect(a.pendingCount).toBe(5);

    const snaps = snapshotAll(a);
    expect(snaps.find((s) => s.model === 'clf')!.state[3]).toBe(SNAPSHOT_FORMAT);
    const bClock = { t: clock.t };
    const b = makeMonitor(config, bClock);
    expect(restoreAll(b, snaps)).toEqual([]);
    expect(b.pendingCount).toBe(5);

    for (const [m, c] of [
      [a, clock],
      [b, bClock],
    ] as const) {
      // c0 expired before the snapshot: its label is too late, not held
      expect(label(m, 0)).toMatchObject({ joined: 0, held: 0, dropped: { prediction_expired: 1 } });
      c.t = T0 + 179_000;
      expect(label(m, 5)).toMatchObject({ joined: 1 });
      c.t = T0 + 180_000;
      m.expirePendingPredictions();
      expect(m.pendingCount).toBe(0);
      expect(label(m, 6)).toMatchObject({ joined: 0, held: 0, dropped: { prediction_expired: 1 } });
    }
  });

  it('format 6 (no arrival times): the predictions wait from the model’s last batch before the snapshot, not less', () => {
    expect(fixture.madeBy).toBe('snapshot format 6');
    const snaps: StoredModelSnapshot[] = fixture.snapshots.map((s) => ({
      ...s,
      state: Buffer.from(s.state, 'base64'),
      versions: s.versions.map((v) => ({ ...v, state: Buffer.from(v.state, 'base64') })),
    }));
    for (const s of snaps) expect(s.state[3]).toBe(6);
    // c0…c4 arrived at T0 and c5…c9 at T0 + 60 s (the fixture's last batch); restored at T0 + 120 s
    expect(fixture.clock).toBe(T0 + 120_000);
    const clock = { t: fixture.clock };
    const m = makeMonitor(config, clock);
    expect(restoreAll(m, snaps)).toEqual([]);
    expect([...m.models.get('clf')!.pending.keys()]).toEqual(fixture.pending);
    // Their real arrival would let c0…c4 go at T0 + 120 s; they wait until 120 s after the last batch.
    m.expirePendingPredictions();
    clock.t = T0 + 179_000;
    m.expirePendingPredictions();
    expect(m.pendingCount).toBe(10);
    expect(label(m, 0)).toMatchObject({ joined: 1 });
    clock.t = T0 + 180_000;
    m.expirePendingPredictions();
    expect(m.pendingCount).toBe(0);
    expect(m.dropped.counts.get('pending_expired')).toBe(9);
    expect(label(m, 9)).toMatchObject({ joined: 0, held: 0, dropped: { prediction_expired: 1 } });
  });
});
