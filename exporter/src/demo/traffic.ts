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

/** What demo traffic feeds. */
export interface DemoDeps {
  monitor: Monitor;
  registry: RegistryService;
  limits: Config['limits'];
}

/**
 * Demo traffic for `npm start` (`serve --demo`): a fleet (fleet.ts) where most models are healthy,
 * one drifts, one degrades and one slows down over the first minutes; reference profiles live in
 * memory only (the registry entries above are the only demo data stored), fed a batch every 2 s straight into the
 * monitor, with half the labels arriving a few ticks later as feedback. The first batch goes
 * in before the server listens, so /metrics shows real series at once. Returns its stop.
 */
export async function startDemoTraffic({ monitor, registry, limits }: DemoDeps): Promise<() => void> {
  await registerDemoModels(registry);
  const rand = prng(2024);
  const { profile } = buildReferenceProfile(demoReference(2000), {
    maxFeatures: limits.maxFeaturesPerModel,
    maxCategories: limits.maxCategoriesPerFeature,
  });
  for (const d of DEMO_MODELS) monitor.applyReference(d.model, d.version, profile!);
  const waiting: Array<Array<{ model: string; e: DemoEvent }>> = [];
  const started = monitor.now();
  let tick = 0;
  const step = () => {
    tick++;
    const elapsed = monitor.now() - started;
    const now: Array<{ model: string; e: DemoEvent }> = [];
    for (const d of DEMO_MODELS) {
      const batch = demoEvents(d, rand, tick === 1 ? FIRST_BATCH : BATCH, `demo-${tick}-`, elapsed, 0.5);
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
