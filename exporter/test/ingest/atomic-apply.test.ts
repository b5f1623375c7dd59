import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchNotAppliedError } from '../../src/errors.js';
import { BoundedNames } from '../../src/ingest/bounded-names.js';
import { LabelJoin } from '../../src/ingest/label-join.js';
import { LabelTracking } from '../../src/ingest/label-tracking.js';
import type { Monitor } from '../../src/ingest/monitor.js';
import { PendingAges } from '../../src/ingest/pending-ages.js';
import { PendingTable } from '../../src/ingest/pending-table.js';
import { RecentIds } from '../../src/ingest/recent-ids.js';
import { buildReferenceProfile } from '../../src/ingest/reference-profile.js';
import { VersionLifecycle } from '../../src/ingest/version-lifecycle.js';
import { VersionState } from '../../src/ingest/version-state.js';
import { ExpositionWriter } from '../../src/collectors/exposition-writer.js';
import { MonitoringCollector } from '../../src/collectors/monitoring-collector.js';
import { ScrapeErrors } from '../../src/collectors/collector.js';
import { createLogger } from '../../src/logger.js';
import {
  CategoricalFeatureState,
  ClassificationState,
  EstimateState,
  NumericFeatureState,
  RegressionState,
  ScoreGrid,
} from '../../src/stats/index.js';
import { QuantileGrids } from '../../src/stats/quantile-grid.js';
import { versionStatus } from '../../src/status/version-status.js';
import { CountState } from '../../src/windows/count-state.js';
import { SlidingWindow } from '../../src/windows/sliding-window.js';
import { advanceWindows } from '../../src/ingest/window-clock.js';
import { apply, makeMonitor, smallConfig, snapshotAll, stepArb, type Step } from '../durable/monitor-fixture.js';

/**
 * Issue 11 §1: a batch is applied all-or-nothing even when something throws half-way. A real
 * collaborator of the apply path (a window state, the label join, a join table, the interned
 * names, a sketch, the version lifecycle) is made to throw at its k-th call; the monitoring state
 * must then be exactly what it was (snapshots, /metrics bytes, status JSON), and sending the
 * same batch again must leave the monitor exactly as a run that never failed.
 */

type Proto = Record<string, (...args: unknown[]) => unknown>;
const TARGETS: Array<[string, Proto, string]> = [
  ['NumericFeatureState.add', NumericFeatureState.prototype as unknown as Proto, 'add'],
  ['CategoricalFeatureState.add', CategoricalFeatureState.prototype as unknown as Proto, 'add'],
  ['ClassificationState.add', ClassificationState.prototype as unknown as Proto, 'add'],
  ['RegressionState.add', RegressionState.prototype as unknown as Proto, 'add'],
  ['EstimateState.addBinary', EstimateState.prototype as unknown as Proto, 'addBinary'],
  ['ScoreGrid.bin', ScoreGrid.prototype as unknown as Proto, 'bin'],
  // After an interval's first scored event has started a quantile generation (ScoreGrid.relayout).
  ['QuantileGrids.bin', QuantileGrids.prototype as unknown as Proto, 'bin'],
  ['QuantileGrids.start', QuantileGrids.prototype as unknown as Proto, 'start'],
  ['CountState.add', CountState.prototype as unknown as Proto, 'add'],
  ['SlidingWindow.bucketAt', SlidingWindow.prototype as unknown as Proto, 'bucketAt'],
  ['LabelJoin.applyLabel', LabelJoin.prototype as unknown as Proto, 'applyLabel'],
  ['LabelJoin.joinPending', LabelJoin.prototype as unknown as Proto, 'joinPending'],
  ['LabelTracking.observeLabel', LabelTracking.prototype as unknown as Proto, 'observeLabel'],
  ['PendingAges.add', PendingAges.prototype as unknown as Proto, 'add'],
  ['PendingTable.set', PendingTable.prototype as unknown as Proto, 'set'],
  ['PendingTable.delete', PendingTable.prototype as unknown as Proto, 'delete'],
  ['RecentIds.add', RecentIds.prototype as unknown as Proto, 'add'],
  ['RecentIds.evictOldest', RecentIds.prototype as unknown as Proto, 'evictOldest'],
  ['RecentIds.evictForFleet', RecentIds.prototype as unknown as Proto, 'evictForFleet'],
  ['BoundedNames.indexOf', BoundedNames.prototype as unknown as Proto, 'indexOf'],
  ['VersionState.observeLatency', VersionState.prototype as unknown as Proto, 'observeLatency'],
  ['VersionState.setReference', VersionState.prototype as unknown as Proto, 'setReference'],
  ['VersionLifecycle.versionFor', VersionLifecycle.prototype as unknown as Proto, 'versionFor'],
];

/** Makes `proto[method]` throw at its k-th call from now on (k = 0: never); returns how many calls it saw. */
function inject(proto: Proto, method: string, k: number): () => number {
  const original = proto[method];
  let calls = 0;
  vi.spyOn(proto, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
    if (++calls === k) throw new Error(`injected fault at call ${k}`);
    return original.apply(this, args);
  });
  return () => calls;
}

afterEach(() => {
  vi.restoreAllMocks();
});

const config = smallConfig({
  // Small bounds, so batches evict pending predictions, held labels and remembered ids.
  MODELWATCH_PENDING_PREDICTIONS_PER_MODEL: '12',
  MODELWATCH_HELD_LABELS_PER_MODEL: '5',
  MODELWATCH_RECENT_IDS_PER_MODEL: '6',
  // Below three models' worth, so the fleet-wide bound evicts across models too.
  MODELWATCH_RECENT_IDS_TOTAL: '10',
  MODELWATCH_MAX_VERSIONS_PER_MODEL: '2',
});
const silent = createLogger('silent');

const referenceProfile = (shift: number) => {
  const built = buildReferenceProfile(
    {
      features: { x: [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v + shift), color: ['red', 'blue', 'blue', 'gold'] },
      predictions: ['a', 'b', 'b'],
      positive_class: 'b',
      labels: ['a', 'b', 'b', 'a', 'b', 'a'],
      score: [0.1, 0.8, 0.7, 0.3, 0.9, 0.2],
    } as never,
    { maxFeatures: 50, maxCategories: 50 },
  );
  return built.profile!;
};

/** A batch to fail: any ingest step, or a reference upload (to a known or a new version). */
type Target = Step | { kind: 'reference'; version: string; shift: number };
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  stepArb.filter((s) => s.kind !== 'wait'),
  fc.record({ kind: fc.constant('reference' as const), version: fc.constantFrom('v1', 'v3'), shift: fc.integer({ min: 0, max: 3 }) }),
);

function applyTarget(m: Monitor, clock: { t: number }, t: Target): void {
  if (t.kind === 'reference') m.applyReference('clf', t.version, referenceProfile(t.shift));
  else apply(m, clock, t);
}

/** Everything observable: snapshots, /metrics (but the failure counter), status JSON, and the process-wide counters. */
function observe(m: Monitor): { snapshots: string; metrics: string; status: string; counters: string } {
  advanceWindows(m.models.values(), m.now());
  const out = new ExpositionWriter('prometheus');
  new MonitoringCollector(m, config, new ScrapeErrors(silent)).collect(out);
  const metrics = out
    .toString()
    .split('\n')
    .filter((l) => !l.startsWith('modelwatch_ingest_failures_total'))
    .join('\n');
  const snapshots = JSON.stringify(
    snapshotAll(m).map((s) => [
      s.model,
      Buffer.from(s.state).toString('base64'),
      s.versions.map((v) => [v.version, v.lastSeenMs, Buffer.from(v.state).toString('base64')]),
    ]),
  );
  const status = JSON.stringify(
    [...m.models.values()].flatMap((model) =>
      [...model.versions.values()].map((v) => versionStatus(model, v, config, { min_accuracy: 0.8 }, m.now())),
    ),
  );
  const counters = JSON.stringify({ dropped: [...m.dropped.counts], ingested: m.ingested, pending: m.pendingCount, held: m.heldCount });
  return { snapshots, metrics, status, counters };
}

describe('a batch is applied all-or-nothing when something throws half-way (issue 11 §1)', () => {
  it('state, /metrics and status are unchanged after the fault; the retry equals a run that never failed', () => {
    let faults = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 14 }), targetArb, fc.nat(), fc.nat(), (prefix, target, pick, kSeed) => {
        const clockA = { t: Date.UTC(2030, 0, 1, 0, 0, 30) };
        const clockB = { t: clockA.t };
        const a = makeMonitor(config, clockA);
        const b = makeMonitor(config, clockB);
        for (const s of prefix) {
          apply(a, clockA, s);
          apply(b, clockB, s);
        }
        // B applies the batch cleanly, counting how often each collaborator is called: the
        // fault is then placed at a call that really happens.
        const counts = TARGETS.map(([, proto, method]) => inject(proto, method, 0));
        applyTarget(b, clockB, target);
        vi.restoreAllMocks();
        const called = TARGETS.map((t, i) => [t, counts[i]()] as const).filter(([, n]) => n > 0);
        const before = observe(a);
        if (called.length > 0) {
          const [[name, proto, method], n] = called[pick % called.length];
          const k = 1 + (kSeed % n);
          inject(proto, method, k);
          let failed: unknown;
          try {
            applyTarget(a, clockA, target);
          } catch (err) {
            failed = err;
          }
          vi.restoreAllMocks();
          faults++;
          expect(failed, `${name} #${k}`).toBeInstanceOf(BatchNotAppliedError);
          expect(observe(a), `${name} #${k}`).toEqual(before);
          const endpoint =
            target.kind === 'reference'
              ? 'reference'
              : target.kind === 'feedback'
                ? 'feedback'
                : target.kind === 'kpi'
                  ? 'kpis'
                  : 'predictions';
          expect(a.applyFailures[endpoint]).toBe(1);
        }
        applyTarget(a, clockA, target); // the retry (or the only try)
        expect(observe(a), 'retried').toEqual(observe(b));
      }),
      { numRuns: 400 },
    );
    // The property is only worth something if faults did fire, in many runs.
    expect(faults).toBeGreaterThan(100);
  });
});
