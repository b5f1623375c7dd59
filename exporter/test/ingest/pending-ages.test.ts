import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PENDING_AGE_BOUNDS_SECONDS, PendingAges } from '../../src/ingest/pending-ages.js';

const MIN = 60_000;

/** Brute force: every pending prediction's age in whole minutes at the last advance. */
function naive(times: number[], head: number): number[] {
  const counts = new Array<number>(PENDING_AGE_BOUNDS_SECONDS.length + 1).fill(0);
  for (const t of times) {
    const age = head - Math.floor(t / MIN);
    let i = PENDING_AGE_BOUNDS_SECONDS.findIndex((b) => age <= b / 60);
    if (i === -1) i = PENDING_AGE_BOUNDS_SECONDS.length;
    counts[i]++;
  }
  let n = 0;
  return counts.map((c) => (n += c));
}

type Op = { kind: 'add'; back: number } | { kind: 'remove'; pick: number } | { kind: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), back: fc.integer({ min: 0, max: 30 * MIN }) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('wait' as const),
    ms: fc.oneof(fc.integer({ min: 0, max: 5 * MIN }), fc.integer({ min: 0, max: 30 * 3600_000 }), fc.constant(24 * 3600_000)),
  }),
);

describe('pending predictions by age', () => {
  it('matches counting every pending prediction, through adds, removals and the clock passing each bound', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        let now = 1_700_000_000_000;
        const a = new PendingAges();
        a.advance(now);
        const times: number[] = [];
        for (const op of ops) {
          if (op.kind === 'wait') {
            now += op.ms;
            a.advance(now);
          } else if (op.kind === 'add') {
            const t = now - op.back;
            times.push(t);
            a.add(t);
          } else if (times.length > 0) {
            const [t] = times.splice(op.pick % times.length, 1);
            a.remove(t);
          }
          expect(a.cumulative()).toEqual(naive(times, Math.floor(now / MIN)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('allocates nothing until a prediction waits, and a removal of nothing is ignored', () => {
    const a = new PendingAges();
    expect(a.advance(MIN * 10)).toBe(false);
    a.remove(MIN * 5);
    expect(a.total).toBe(0);
    a.add(MIN * 9);
    expect(a.advance(MIN * 11)).toBe(true);
    expect(a.cumulative()[0]).toBe(0);
    expect(a.cumulative()[1]).toBe(1);
  });
});
