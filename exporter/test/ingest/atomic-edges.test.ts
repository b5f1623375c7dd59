import { afterEach, describe, expect, it } from 'vitest';
import { BatchNotAppliedError } from '../../src/errors.js';
import { LabelJoin } from '../../src/ingest/label-join.js';
import type { Monitor } from '../../src/ingest/monitor.js';
import type { PredictionsBody } from '../../src/ingest/schemas.js';
import { makeMonitor, render, smallConfig, snapshotAll } from '../durable/monitor-fixture.js';

/**
 * Issue 11 §1, the paths the property test (atomic-apply.test.ts) does not reach with its small
 * batches and one version per model: a count column widened past 16 bits inside the failing
 * batch, a version created by evicting an idle one or folded into `__other__`, error reasons
 * folded past their bound, the last model MODELWATCH_MAX_MODELS allows. A fault after all of it must
 * leave snapshots, /metrics and the counters exactly as before, and the retry must equal a run
 * that never failed.
 */

type Proto = Record<string, (...args: unknown[]) => unknown>;
let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** Makes the last `labelledInline` call of the next batch throw (the batch's last event carries a label). */
function failLastEvent(events: number): void {
  const proto = LabelJoin.prototype as unknown as Proto;
  const original = proto.labelledInline;
  let calls = 0;
  proto.labelledInline = function (this: unknown, ...args: unknown[]) {
    if (++calls === events) throw new Error('injected fault after the batch changed everything else');
    return original.apply(this, args);
  };
  restore = () => (proto.labelledInline = original);
}

const config = smallConfig({
  MODELWATCH_MAX_VERSIONS_PER_MODEL: '2',
  MODELWATCH_MAX_MODELS: '4',
  MODELWATCH_MAX_ERROR_REASONS_PER_MODEL: '2',
});

function observe(m: Monitor): Record<string, string> {
  // render first: it slides the windows to the clock, as the window clock would have
  const metrics = render(m, config)
    .split('\n')
    .filter((l) => !l.startsWith('modelwatch_ingest_failures_total')) // the fault is meant to raise it
    .join('\n');
  const snaps = snapshotAll(m).map((s) => [
    s.model,
    Buffer.from(s.state).toString('base64'),
    s.versions.map((v) => [v.version, v.lastSeenMs, Buffer.from(v.state).toString('base64')]),
  ]);
  return {
    snaps: JSON.stringify(snaps),
    metrics,
    counters: JSON.stringify({ pending: m.pendingCount, held: m.heldCount, dropped: [...m.dropped.counts] }),
  };
}

/** Applies `body` to a monitor made to fail at its last event, checks nothing changed, then retries and compares with a clean run. */
function checkAtomic(prepare: (m: Monitor, clock: { t: number }) => void, body: PredictionsBody): void {
  const clockA = { t: Date.UTC(2030, 0, 1, 0, 0, 30) };
  const clockB = { t: clockA.t };
  const a = makeMonitor(config, clockA);
  const b = makeMonitor(config, clockB);
  prepare(a, clockA);
  prepare(b, clockB);
  const before = observe(a);
  failLastEvent(body.events.filter((e) => e.label !== undefined).length);
  expect(() => a.applyPredictions(body)).toThrow(BatchNotAppliedError);
  restore!();
  restore = undefined;
  const after = observe(a);
  expect(after.metrics).toEqual(before.metrics);
  expect(after.counters).toEqual(before.counters);
  expect(after.snaps).toEqual(before.snaps);
  a.applyPredictions(body);
  b.applyPredictions(body);
  expect(observe(a)).toEqual(observe(b));
}

const labelled = (n: number, model: string, version: string, extra: (i: number) => object = () => ({})) =>
  ({
    model,
    version,
    positive_class: 'b',
    events: Array.from({ length: n }, (_, i) => ({
      id: `${version}-${i}`,
      features: { x: 3, color: 'red' },
      prediction: 'a',
      score: 0.4,
      label: 'b',
      ...extra(i),
    })),
  }) as unknown as PredictionsBody;

describe('all or nothing on the rare paths of a batch (issue 11 §1)', () => {
  it('a bucket count widened past 65,535 inside the failing batch is narrowed back', () => {
    checkAtomic((m) => m.applyPredictions(labelled(10, 'clf', 'v0')), labelled(70_000, 'clf', 'v1'));
  });

  it("labels held for a model with no state, adopted by the model's first batch, are held for it again", () => {
    const early = (m: Monitor) =>
      m.applyFeedback({
        model: 'fresh',
        events: [
          { id: 'v1-0', label: 'a' },
          { id: 'later', label: 'b' },
        ],
      } as never);
    checkAtomic(early, labelled(3, 'fresh', 'v1'));
  });

  it('a version created by evicting an idle one, or folded into __other__, is undone', () => {
    const prepare = (m: Monitor, clock: { t: number }) => {
      m.applyPredictions(labelled(3, 'clf', 'v2'));
      clock.t += 700_000; // v1 and v2 idle for a whole window
      m.applyPredictions(labelled(3, 'clf', 'v3'));
    };
    checkAtomic(prepare, labelled(4, 'clf', 'v4')); // evicts the idle v2 (v1 has a reference, is idle too)
    checkAtomic((m) => m.applyPredictions(labelled(3, 'clf', 'v2')), labelled(4, 'clf', 'v5')); // no idle version: __other__
  });

  it('error reasons folded past their bound, and the last model the limit allows, are undone', () => {
    const errors = (n: number) =>
      ({
        model: 'clf',
        version: 'v1',
        events: [
          ...Array.from({ length: n }, (_, i) => ({ id: `err${i}`, features: {}, prediction: 'a', error: `reason ${i}` })),
          { id: 'last', features: { x: 1 }, prediction: 'a', score: 0.3, label: 'a' },
        ],
      }) as unknown as PredictionsBody;
    checkAtomic(() => undefined, errors(5));
    checkAtomic((m) => m.applyPredictions(labelled(2, 'm3', 'v1')), labelled(3, 'm4', 'v1'));
  });
});
