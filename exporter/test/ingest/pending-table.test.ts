import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PendingPrediction } from '../../src/ingest/model-state.js';
import { PendingTable } from '../../src/ingest/pending-table.js';
import { transaction } from '../../src/windows/txn.js';
import type { VersionState } from '../../src/ingest/version-state.js';

const versions = [{ name: 'v1' }, { name: 'v2' }, { name: '__other__' }] as unknown as VersionState[];
const classes = ['0', '1', '__other__'];

const prediction: fc.Arbitrary<PendingPrediction> = fc
  .record(
    {
      version: fc.constantFrom(...versions),
      pred: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.double({ noNaN: true })),
      predName: fc.constantFrom('0', '1', '__other__', 'a-folded-name'),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      probs: fc.float64Array({ minLength: 1, maxLength: 4, noNaN: true }),
      at: fc.integer({ min: 0, max: 2 ** 45 }),
    },
    { requiredKeys: ['version', 'pred'] },
  )
  .map((p) => {
    const out: PendingPrediction = { version: p.version, pred: p.pred };
    if (p.predName !== undefined) out.predName = p.predName;
    if (p.score !== undefined) out.score = p.score;
    if (p.probs !== undefined) out.probs = p.probs;
    if (p.at !== undefined) out.at = p.at;
    return out;
  });

type Op = { kind: 'set'; id: string; p: PendingPrediction } | { kind: 'delete'; id: string } | { kind: 'evict' };
const id = fc.integer({ min: 0, max: 30 }).map((i) => `id${i}`);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id, p: prediction }),
  fc.record({ kind: fc.constant('delete' as const), id }),
  fc.record({ kind: fc.constant('evict' as const) }),
);

describe('PendingTable', () => {
  it('behaves like an insertion-ordered Map of prediction objects', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const table = new PendingTable((i) => classes[i]);
        const map = new Map<string, PendingPrediction>();
        for (const o of ops) {
          if (o.kind === 'set') {
            // Map.set keeps an existing key's position; the join deletes first, so compare that way.
            map.delete(o.id);
            map.set(o.id, o.p);
            table.set(o.id, o.p);
          } else if (o.kind === 'delete') expect(table.delete(o.id)).toBe(map.delete(o.id));
          else {
            const oldest = map.keys().next().value;
            expect(table.keys().next().value).toBe(oldest);
            if (oldest !== undefined) {
              map.delete(oldest);
              table.delete(oldest);
            }
          }
          expect(table.size).toBe(map.size);
        }
        expect([...table]).toEqual([...map]);
        for (const k of map.keys()) expect(table.get(k)).toEqual(map.get(k));
        expect(table.get('missing')).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('flipScores turns every binary score s into 1 − s, and a rollback puts back the exact scores, deleted entries included', () => {
    fc.assert(
      fc.property(fc.array(prediction, { minLength: 1, maxLength: 20 }), fc.array(op, { maxLength: 40 }), (initial, ops) => {
        const table = new PendingTable((i) => classes[i]);
        initial.forEach((p, i) => table.set(`id${i}`, p));
        const before = [...table];
        table.flipScores();
        for (const [k, p] of table) {
          const was = before.find((b) => b[0] === k)![1];
          expect(p.score).toBe(was.score === undefined ? undefined : 1 - was.score);
        }
        table.flipScores();
        const twice = [...table];
        expect(() =>
          transaction(() => {
            for (const o of ops.slice(0, ops.length >> 1)) apply(table, o);
            table.flipScores();
            for (const o of ops.slice(ops.length >> 1)) apply(table, o);
            throw new Error('injected');
          }),
        ).toThrow('injected');
        expect([...table]).toEqual(twice);
      }),
      { numRuns: 200 },
    );
  });
});

function apply(table: PendingTable, o: Op): void {
  if (o.kind === 'set') table.set(o.id, o.p);
  else if (o.kind === 'delete') table.delete(o.id);
  else {
    const oldest = table.keys().next().value;
    if (oldest !== undefined) table.delete(oldest);
  }
}
