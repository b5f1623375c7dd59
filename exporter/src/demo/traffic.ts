import type { Config } from '../config/config.js';
import { prng } from './synthetic-traffic.js';
import { DEMO_FLEET, demoEvents, demoReference, pendingLabel, type DemoEvent } from './fleet.js';
import type { Monitor } from '../ingest/monitor.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { NotFoundError } from '../errors.js';
import type { RegistryService } from '../registry/service.js';

const DEMO_MODELS = DEMO_FLEET;
/** Events per model in the first batch (so drift statistics start from a fair sample), then per tick. */
const FIRST_BATCH = 400;
const BATCH = 60;
const TICK_MS = 2000;

/**
 * Registers each demo model once, with its version in production, so that the registry series
 * (stage, validation accuracy) and the Grafana app have something to show. Later starts on the
 * same data dir find them and leave them as they are.
 */
async function registerDemoModels(registry: RegistryService): Promise<void> {
  for (const d of DEMO_MODELS) {
    try {
      await registry.getModel(d.model);
      continue;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    await registry.createModel({ name: d.model, description: `demo model fed by serve --demo: ${d.story}`, team: 'ml' }, 'demo');
    await registry.registerVersion(d.model, { version: d.version, metrics: { accuracy: 0.93, latency_ms: 20 } }, 'demo');
    for (const to of ['staging', 'production'] as const) {
      await registry.transition(d.model, d.version, { to, reason: 'demo setup' }, 'demo');
    }
  }
}

/** What the demo's setup writes to: the registry, and the monitor's reference profiles. */
export interface DemoSetupDeps {
  registry: RegistryService;
  monitor: Monitor;
  limits: Config['limits'];
}

/**
 * Prepares the demo fleet (call before window state is restored): each model registered once
 * with its version in production, and each version given its reference profile, in memory only
 * (the registry entries are the only demo data stored). The references are in place before the
 * restore, as stored ones are, so a restart brings the demo's drift windows back onto the same
 * bins instead of emptying them.
 */
export async function prepareDemo({ registry, monitor, limits }: DemoSetupDeps): Promise<void> {
  await registerDemoModels(registry);
  const { profile } = buildReferenceProfile(demoReference(2000), {
    maxFeatures: limits.maxFeaturesPerModel,
    maxCategories: limits.maxCategoriesPerFeature,
  });
  for (const d of DEMO_MODELS) monitor.applyReference(d.model, d.version, profile!);
}

/** What demo traffic feeds. */
export interface DemoDeps {
  monitor: Monitor;
  /**
   * Makes a model this replica's to checkpoint (durable/checkpointer.ts `ensure`), as the ingest
   * routes do before a request's events: demo traffic is kept across restarts like real traffic.
   */
  ensureModel: (model: string) => Promise<void> | undefined;
}

/**
 * Demo traffic for `npm start` (`serve --demo`), after prepareDemo: a fleet (fleet.ts) where most
 * models are healthy, one drifts, one degrades and one slows down over the first minutes, fed a
 * batch every 2 s straight into the monitor, with half the labels arriving a few ticks later as
 * feedback. The first batch goes in before the server listens, so /metrics shows real series at
 * once. Returns its stop.
 */
export async function startDemoTraffic({ monitor, ensureModel }: DemoDeps): Promise<() => void> {
  for (const d of DEMO_MODELS) await ensureModel(d.model);
  const rand = prng(2024);
  const waiting: Array<Array<{ model: string; e: DemoEvent }>> = [];
  const started = monitor.now();
  // Ids unique to this run: predictions of an earlier run still wait for their labels (restored).
  const run = started.toString(36);
  let tick = 0;
  const step = () => {
    tick++;
    const elapsed = monitor.now() - started;
    const now: Array<{ model: string; e: DemoEvent }> = [];
    for (const d of DEMO_MODELS) {
      const batch = demoEvents(d, rand, tick === 1 ? FIRST_BATCH : BATCH, `demo-${run}-${tick}-`, elapsed, 0.5);
      monitor.applyPredictions({ model: d.model, version: d.version, events: batch as PredictionsBody['events'] });
      for (const e of batch) if (e.label === undefined) now.push({ model: d.model, e });
    }
    waiting.push(now);
    if (waiting.length > 3) {
      for (const d of DEMO_MODELS) {
        const due = waiting[0].filter((w) => w.model === d.model).map((w) => ({ id: w.e.id, label: pendingLabel(w.e) }));
        if (due.length) monitor.applyFeedback({ model: d.model, events: due });
      }
      waiting.shift();
    }
    if (tick % 15 === 1)
      for (const d of DEMO_MODELS) monitor.applyKpis({ model: d.model, kpis: { conversion_rate: 0.02 + rand() * 0.01 } });
  };
  step();
  const timer = setInterval(step, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
