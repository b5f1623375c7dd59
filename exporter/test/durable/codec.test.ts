import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, SnapshotFormatError } from '../../src/durable/bytes.js';
import { open, seal, SNAPSHOT_FORMAT } from '../../src/durable/envelope.js';
import { apply, makeMonitor, render, restoreAll, smallConfig, snapshotAll, stepArb } from './monitor-fixture.js';

describe('snapshot codec', () => {
  const config = smallConfig();

  it('restore(snapshot(s)) renders the same statistics, and stays equal under further traffic', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 25 }), fc.array(stepArb, { maxLength: 15 }), (before, after) => {
        const clockA = { t: 1_700_000_000_000 };
        const a = makeMonitor(config, clockA);
        for (const s of before) apply(a, clockA, s);
        const clockB = { t: clockA.t };
        const b = makeMonitor(config, clockB);
        expect(restoreAll(b, snapshotAll(a))).toEqual([]);
        expect(render(b, config)).toBe(render(a, config));
        expect(b.pendingCount).toBe(a.pendingCount);
        // Same traffic on both: windows slide, buckets expire and are subtracted, labels join restored predictions.
        for (const s of after) {
          apply(a, clockA, s);
          apply(b, clockB, s);
        }
        expect(render(b, config)).toBe(render(a, config));
        expect(b.pendingCount).toBe(a.pendingCount);
      }),
      { numRuns: 200 },
    );
  });

  it('counts round-trip dense and sparse, up to 2^53', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat(), fc.maxSafeNat()), { maxLength: 300 }), (counts) => {
        const w = new ByteWriter();
        w.counts(counts);
        expect(new ByteReader(w.finish()).counts(counts.length)).toEqual(counts);
      }),
    );
  });

  it('refuses other formats, other kinds and flipped bits', () => {
    const body = Buffer.from('hello');
    const sealed = seal('model', body);
    expect(open('model', sealed).toString()).toBe('hello');
    expect(() => open('version', sealed)).toThrow(SnapshotFormatError);
    const older = Buffer.from(sealed);
    older[3] = SNAPSHOT_FORMAT + 1;
    expect(() => open('model', older)).toThrow(/format/);
    for (let i = 0; i < sealed.length; i++) {
      const flipped = Buffer.from(sealed);
      flipped[i] ^= 0x10;
      expect(() => open('model', flipped)).toThrow(SnapshotFormatError);
    }
  });

  it('reads format-2 model snapshots (before held labels): nothing held, and the old default positive class "1" only where the classes imply it', () => {
    const clock = { t: 1_700_000_000_000 };
    const a = makeMonitor(config, clock);
    a.applyPredictions({ model: 'yn', version: 'v1', events: [{ id: 'y1', features: {}, prediction: 'yes' }] } as never);
    a.applyPredictions({ model: 'bin', version: 'v1', events: [{ id: 'b1', features: {}, prediction: '0', score: 0.2 }] } as never);
    // Format 2 wrote "1" for every model that stated no positive class.
    a.models.get('yn')!.positiveClass = '1';
    // Nor did it keep when a pending prediction arrived (format 8).
    for (const name of ['yn', 'bin']) {
      const pending = a.models.get(name)!.pending;
      for (const [id, p] of [...pending]) pending.set(id, { ...p, arrived: undefined });
    }
    const snaps = snapshotAll(a).filter((s) => s.model === 'yn' || s.model === 'bin');
    for (const snap of snaps) {
      const v3 = Buffer.from(snap.state);
      // A format-3 body ends with the held-label and recent-id counts, both 0 here: format 2 had neither.
      expect([...v3.subarray(-2)]).toEqual([0, 0]);
      const v2 = Buffer.from(seal('model', v3.subarray(9, -2)));
      v2[3] = 2;
      snap.state = v2;
    }
    const b = makeMonitor(config, { t: clock.t });
    expect(restoreAll(b, snaps)).toEqual([]);
    expect(b.models.get('yn')!.positiveClass).toBeUndefined();
    expect(b.models.get('bin')!.positiveClass).toBe('1');
    expect(b.models.get('bin')!.pending.size).toBe(1);
    expect(b.models.get('bin')!.held.size).toBe(0);
  });

  it('a corrupt version snapshot is skipped, the version starts empty, the rest restores', () => {
    const clock = { t: 1_700_000_000_000 };
    const a = makeMonitor(config, clock);
    apply(a, clock, { kind: 'reg', events: [{ id: 1, x: 1, pred: 3, label: 4 }] });
    apply(a, clock, { kind: 'clf', events: [{ id: 1, x: 2, color: 'red', pred: 'a', score: 0.3, label: 'b' }] });
    const snaps = snapshotAll(a);
    const reg = snaps.find((s) => s.model === 'reg')!;
    // Valid envelope, nonsense body: the checksum passes, the decoder must still refuse.
    reg.versions[0].state = seal('version', Buffer.from([0xff, 0xff, 0xff]));
    const b = makeMonitor(config, { t: clock.t });
    const skipped = restoreAll(b, snaps);
    expect(skipped).toEqual([{ model: 'reg', version: 'v1', reason: expect.any(String) }]);
    expect(b.models.get('reg')!.versions.get('v1')!.predictions).toBe(0);
    expect(b.models.get('clf')!.versions.get('v1')!.predictions).toBe(1);
  });
});
