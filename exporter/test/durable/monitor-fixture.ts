import fc from 'fast-check';
import { ScrapeErrors } from '../../src/collectors/collector.js';
import { ExpositionWriter } from '../../src/collectors/exposition-writer.js';
import { MonitoringCollector } from '../../src/collectors/monitoring-collector.js';
import { advanceWindows } from '../../src/ingest/window-clock.js';
import { createLogger } from '../../src/logger.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { buildReferenceProfile, type ReferenceProfile } from '../../src/ingest/reference-profile.js';
import type { StoredModelSnapshot } from '../../src/store/snapshot-store.js';
import { restoreModel, snapshotModel, snapshotVersion, type SkippedSnapshot } from '../../src/durable/monitor-snapshot.js';

/** A small window so that property runs cross bucket boundaries and expire buckets. */
export function smallConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({
    MODELWATCH_WINDOW_SECONDS: '600',
    MODELWATCH_WINDOW_RESOLUTION_SECONDS: '60',
    MODELWATCH_SKETCH_RESOLUTION_SECONDS: '120',
    MODELWATCH_MAX_CATEGORIES_PER_FEATURE: '3',
    MODELWATCH_MAX_CLASSES_PER_MODEL: '4',
    ...extra,
  });
}

export const REFERENCES: Record<string, ReferenceProfile> = {
  clf: profile({
    features: { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2.5, 7.5], color: ['red', 'red', 'blue', 'green'] },
    predictions: ['a', 'b', 'a'],
    positive_class: 'b',
    // Labelled scores: the version also keeps the label-free estimate's window.
    labels: ['a', 'a', 'b', 'a', 'b', 'b', 'a', 'b', 'b', 'a', 'b', 'b'],
    score: [0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95],
  }),
  reg: profile({ features: { x: [0, 1, 2, 3, 4, 5] }, predictions: [0, 10, 20, 30], task: 'regression' }),
};

function profile(body: Record<string, unknown>): ReferenceProfile {
  const built = buildReferenceProfile(body as never, { maxFeatures: 50, maxCategories: 50 });
  if (!built.profile) throw new Error(JSON.stringify(built.problems));
  return built.profile;
}

/** One step of traffic: predictions (some labelled at once), labels for earlier ids, KPIs, or time passing. */
export type Step =
  | {
      kind: 'clf';
      events: Array<{
        id: number;
        x: number | null;
        color: string;
        pred: string;
        score?: number;
        label?: string;
        scores?: number[];
        error?: boolean;
        latency?: number;
      }>;
    }
  | { kind: 'multi'; events: Array<{ id: number; pred: string; label?: string; scores?: number[] }> }
  | { kind: 'reg'; events: Array<{ id: number; x: number; pred: number; label?: number }> }
  | { kind: 'feedback'; model: 'clf' | 'reg' | 'multi'; labels: Array<{ id: number; label: string | number }> }
  | { kind: 'kpi'; value: number }
  | { kind: 'wait'; ms: number };

const CLASSES = ['a', 'b', 'c', 'd', 'e', 'f'];
const id = fc.integer({ min: 0, max: 60 });
const prob = fc.double({ min: 0, max: 1, noNaN: true });

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('clf' as const),
    events: fc.array(
      fc.record(
        {
          id,
          x: fc.oneof(fc.double({ min: -5, max: 15, noNaN: true }), fc.constant(null), fc.integer({ min: 1, max: 10 })),
          color: fc.constantFrom('red', 'blue', 'green', 'purple', 'pink', 'teal', 'gold'),
          pred: fc.constantFrom('a', 'b'),
          score: prob,
          label: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
          error: fc.boolean(),
          latency: fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined }),
        },
        { requiredKeys: ['id', 'x', 'color', 'pred'] },
      ),
      { maxLength: 8 },
    ),
  }),
  fc.record({
    kind: fc.constant('multi' as const),
    events: fc.array(
      fc.record(
        {
          id,
          pred: fc.constantFrom(...CLASSES),
          label: fc.constantFrom(...CLASSES),
          scores: fc.array(prob, { minLength: 3, maxLength: 3 }),
        },
        { requiredKeys: ['id', 'pred'] },
      ),
      { maxLength: 8 },
    ),
  }),
  fc.record({
    kind: fc.constant('reg' as const),
    events: fc.array(
      fc.record(
        {
          id,
          x: fc.double({ min: -2, max: 8, noNaN: true }),
          pred: fc.double({ min: -50, max: 50, noNaN: true }),
          label: fc.double({ min: -50, max: 50, noNaN: true }),
        },
        { requiredKeys: ['id', 'x', 'pred'] },
      ),
      { maxLength: 8 },
    ),
  }),
  fc.record({
    kind: fc.constant('feedback' as const),
    model: fc.constantFrom('clf' as const, 'reg' as const, 'multi' as const),
    labels: fc.array(fc.record({ id, label: fc.constantFrom('a', 'b', 'c') }), { maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('kpi' as const), value: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
);

/** A monitor on a settable clock with the fixture references applied. */
export function makeMonitor(config: Config, clock: { t: number }): Monitor {
  const m = new Monitor(config, () => clock.t);
  for (const [model, p] of Object.entries(REFERENCES)) m.applyReference(model, 'v1', p);
  return m;
}

export function apply(m: Monitor, clock: { t: number }, step: Step): void {
  switch (step.kind) {
    case 'wait':
      clock.t += step.ms;
      return;
    case 'kpi':
      m.applyKpis({ model: 'clf', kpis: { revenue: step.value } });
      return;
    case 'clf':
      m.applyPredictions({
        model: 'clf',
        version: 'v1',
        events: step.events.map((e) => ({
          id: `c${e.id}`,
          features: { x: e.x, color: e.color },
          prediction: e.pred,
          score: e.score,
          label: e.label,
          ...(e.error ? { error: 'timeout' } : {}),
          ...(e.latency !== undefined ? { latency_ms: e.latency } : {}),
        })),
      } as never);
      return;
    case 'multi':
      m.applyPredictions({
        model: 'multi',
        version: 'v2',
        events: step.events.map((e) => ({
          id: `m${e.id}`,
          features: {},
          prediction: e.pred,
          label: e.label,
          scores: e.scores ? { a: e.scores[0], b: e.scores[1], c: e.scores[2] } : undefined,
        })),
      } as never);
      return;
    case 'reg':
      m.applyPredictions({
        model: 'reg',
        version: 'v1',
        events: step.events.map((e) => ({ id: `r${e.id}`, features: { x: e.x }, prediction: e.pred, label: e.label })),
      } as never);
      return;
    case 'feedback': {
      if (!m.hasModel(step.model)) return;
      const prefix = step.model[0];
      const labels = step.labels.map((l) => ({ id: `${prefix}${l.id}`, label: step.model === 'reg' ? l.id / 3 : l.label }));
      m.applyFeedback({ model: step.model, events: labels } as never);
      return;
    }
  }
}

const silentLogger = createLogger('silent');

/** What /metrics shows of the monitor, without the process-wide counters (ingested, dropped) a restart resets. */
export function render(m: Monitor, config: Config): string {
  // As the root's window clock would have by now: windows slide with the clock, not at a read.
  advanceWindows(m.models.values(), m.now());
  const out = new ExpositionWriter('prometheus');
  new MonitoringCollector(m, config, new ScrapeErrors(silentLogger)).collect(out);
  const text = out.toString();
  return text
    .split('\n')
    .filter((l) => !l.startsWith('modelwatch_ingested_events_total') && !l.startsWith('modelwatch_dropped_total'))
    .join('\n');
}

/** Every model's snapshot as the store would hold it. */
export function snapshotAll(m: Monitor): StoredModelSnapshot[] {
  return [...m.models.values()].map((model) => ({
    model: model.name,
    generation: 'g',
    state: snapshotModel(model),
    versions: [...model.versions.values()].map((v) => ({ version: v.name, lastSeenMs: v.lastSeen, state: snapshotVersion(v) })),
  }));
}

export function restoreAll(m: Monitor, snaps: StoredModelSnapshot[]): SkippedSnapshot[] {
  const skipped: SkippedSnapshot[] = [];
  for (const s of snaps) restoreModel(m, s, (x) => skipped.push(x));
  return skipped;
}
