/**
 * Issue 11 §7 (attack: duplicate ids once other models fill MODELWATCH_RECENT_IDS_TOTAL): the
 * fleet-wide bound forgets the fleet's oldest joined ids, so every model keeps its newest ones
 * and a retry or a second label stays a duplicate — also after a restart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../src/ingest/monitor.js';
import { makeMonitor, restoreAll, smallConfig, snapshotAll } from '../durable/monitor-fixture.js';

const config = () => smallConfig({ MODELWATCH_RECENT_IDS_PER_MODEL: '100', MODELWATCH_RECENT_IDS_TOTAL: '100' });

function fill(m: Monitor, n: number, from = 0): void {
  const events = Array.from({ length: n }, (_, i) => ({ id: `f${from + i}`, prediction: '1', score: 0.5, label: '1' }));
  m.applyPredictions({ model: 'fill', version: 'v1', events } as never);
}

function probe(m: Monitor): void {
  const labelled = { id: 'q1', prediction: '1', score: 0.8, label: '1' };
  expect(m.applyPredictions({ model: 'dupA', version: 'v1', events: [labelled] } as never).accepted).toBe(1);
  const retry = m.applyPredictions({ model: 'dupA', version: 'v1', events: [labelled] } as never);
  expect(retry).toMatchObject({ accepted: 0, dropped: { duplicate_id: 1 }, duplicateIds: ['q1'] });

  m.applyPredictions({ model: 'dupB', version: 'v1', events: [{ id: 'q3', prediction: '1', score: 0.8 }] } as never);
  expect(m.applyFeedback({ model: 'dupB', events: [{ id: 'q3', label: '1' }] } as never).joined).toBe(1);
  const again = m.applyPredictions({ model: 'dupB', version: 'v1', events: [{ id: 'q3', prediction: '1', score: 0.8 }] } as never);
  expect(again).toMatchObject({ accepted: 0, dropped: { duplicate_id: 1 } });
  const second = m.applyFeedback({ model: 'dupB', events: [{ id: 'q3', label: '0' }] } as never);
  expect(second.joined ?? 0).toBe(0);
  expect(second.dropped).toMatchObject({ duplicate_label: 1 });
}

describe('recent ids over the fleet-wide bound', () => {
  it('a model still remembers its newest ids after others filled the total', () => {
    const m = makeMonitor(config(), { t: 1_700_000_000_000 });
    fill(m, 150);
    probe(m);
    // The fleet's oldest ids went: fill keeps its newest, and the total holds.
    const recent = m.models.get('fill')!.recent;
    expect(recent.has('f149')).toBe(true);
    expect(recent.has('f0')).toBe(false);
    const total = [...m.models.values()].reduce((n, model) => n + model.recent.size, 0);
    expect(total).toBe(100);
  });

  it('keeps the same ids remembered across a restart, and evicts across models after it', () => {
    const clock = { t: 1_700_000_000_000 };
    const before = makeMonitor(config(), clock);
    fill(before, 150);
    before.applyPredictions({ model: 'dupA', version: 'v1', events: [{ id: 'q1', prediction: '1', score: 0.8, label: '1' }] } as never);
    const after = makeMonitor(config(), clock);
    restoreAll(after, snapshotAll(before));
    for (const [name, model] of before.models)
      expect([...after.models.get(name)!.recent].map(([id]) => id)).toEqual([...model.recent].map(([id]) => id));

    const retry = after.applyPredictions({
      model: 'dupA',
      version: 'v1',
      events: [{ id: 'q1', prediction: '1', score: 0.8, label: '1' }],
    } as never);
    expect(retry).toMatchObject({ accepted: 0, dropped: { duplicate_id: 1 } });
    // New ids for another model push out fill's oldest, not their own.
    after.applyPredictions({
      model: 'dupC',
      version: 'v1',
      events: Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, prediction: '1', score: 0.5, label: '1' })),
    } as never);
    expect(after.models.get('dupC')!.recent.size).toBe(10);
    const total = [...after.models.values()].reduce((n, model) => n + model.recent.size, 0);
    expect(total).toBe(100);
  });
});

describe('recent ids: per-model and fleet-wide bounds', () => {
  it('behave like one FIFO per model within a fleet-wide FIFO', () => {
    const op = fc.record({
      model: fc.constantFrom('a', 'b', 'c'),
      id: fc.integer({ min: 0, max: 60 }),
      n: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(op, { minLength: 60, maxLength: 200 }),
        (perModel, total, ops) => {
          const m = makeMonitor(
            smallConfig({ MODELWATCH_RECENT_IDS_PER_MODEL: String(perModel), MODELWATCH_RECENT_IDS_TOTAL: String(total) }),
            { t: 1_700_000_000_000 },
          );
          const own = new Map<string, string[]>();
          const fleet: Array<[string, string]> = [];
          const forget = (model: string, id: string) => {
            own.get(model)!.splice(own.get(model)!.indexOf(id), 1);
            fleet.splice(
              fleet.findIndex(([fm, fid]) => fm === model && fid === id),
              1,
            );
          };
          for (const { model, id, n } of ops) {
            const ids = Array.from({ length: n }, (_, i) => `i${(id + i) % 61}`);
            m.applyPredictions({
              model,
              version: 'v1',
              events: ids.map((x) => ({ id: x, prediction: '1', score: 0.5, label: '1' })),
            } as never);
            for (const x of ids) {
              const mine = own.get(model) ?? own.set(model, []).get(model)!;
              if (mine.includes(x)) continue;
              mine.push(x);
              fleet.push([model, x]);
              if (mine.length > perModel) forget(model, mine[0]);
              while (fleet.length > total) forget(...fleet[0]);
            }
          }
          for (const [model, ids] of own) expect([...m.models.get(model)!.recent].map(([x]) => x)).toEqual(ids);
        },
      ),
      { numRuns: 60 },
    );
  });
});
