import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { CATALOG, type MetricSpec } from '../metrics/catalog.js';
import { selectExposedVersions } from '../registry/exposure.js';
import type { RegistryStore, RollbackCount, StageCount, VersionSummary } from '../registry/ports.js';
import { STAGES } from '../registry/types.js';

interface Snapshot {
  teams: Map<string, string>;
  versions: VersionSummary[];
  transitions: StageCount[];
  rollbacks: RollbackCount[];
}

/** One scrape reads the registry once, however many of its metrics it collects. */
const SNAPSHOT_TTL_MS = 1000;

/**
 * Registry series computed at scrape time from the database, so that every replica sharing
 * one PostgreSQL reports the same counters (they count stage_transitions rows, not events
 * this process saw). Models are capped at limits.maxModels (by name) and versions per model
 * at limits.maxVersionsPerModel, live stages first: old archived versions drop off.
 */
export function registerRegistryCollectors(
  metrics: Registry,
  store: RegistryStore,
  limits: { maxModels: number; maxVersionsPerModel: number },
  log: Logger,
): void {
  const { maxModels, maxVersionsPerModel } = limits;
  let cached: { at: number; value: Promise<Snapshot> } | undefined;

  const load = async (): Promise<Snapshot> => {
    const [models, versions, transitions, rollbacks] = await Promise.all([
      store.listModels(maxModels),
      store.versionSummaries(),
      store.transitionCounts(),
      store.rollbackCounts(),
    ]);
    const teams = new Map(models.map((m) => [m.name, m.team]));
    return {
      teams,
      versions: selectExposedVersions(
        versions.filter((v) => teams.has(v.model)),
        maxModels,
        maxVersionsPerModel,
      ),
      transitions: transitions.filter((t) => teams.has(t.model)),
      rollbacks: rollbacks.filter((r) => teams.has(r.model)),
    };
  };
  const snapshot = (): Promise<Snapshot> => {
    const now = Date.now();
    if (!cached || now - cached.at > SNAPSHOT_TTL_MS) {
      cached = { at: now, value: load() };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };

  /** A failed read keeps the previous values rather than failing the whole /metrics. */
  const refresh = <T extends Gauge | Counter>(metric: T, fill: (s: Snapshot) => void) =>
    snapshot().then(
      (s) => {
        metric.reset();
        fill(s);
      },
      (err: unknown) => log.warn({ err, metric: 'registry' }, 'registry metrics read failed; serving previous values'),
    );
  const base = (m: MetricSpec) => ({ name: m.name, help: m.help, labelNames: [...m.labels], registers: [metrics] });

  new Gauge({
    ...base(CATALOG.modelInfo),
    async collect() {
      await refresh(this, (s) => {
        for (const [model, team] of s.teams) this.set({ model, team }, 1);
      });
    },
  });

  new Gauge({
    ...base(CATALOG.modelStage),
    async collect() {
      await refresh(this, (s) => {
        // Every stage of an exposed version gets a series (0 or 1), so a move is a value
        // change in place, which PromQL and Grafana state timelines follow without gaps.
        for (const v of s.versions)
          for (const stage of STAGES) this.set({ model: v.model, version: v.version, stage }, v.stage === stage ? 1 : 0);
      });
    },
  });

  new Gauge({
    ...base(CATALOG.validationAccuracy),
    async collect() {
      await refresh(this, (s) => {
        for (const v of s.versions) if (v.accuracy !== null) this.set({ model: v.model, version: v.version }, v.accuracy);
      });
    },
  });

  new Counter({
    ...base(CATALOG.stageTransitions),
    async collect() {
      await refresh(this, (s) => {
        for (const t of s.transitions) this.inc({ model: t.model, from: t.from, to: t.to }, t.count);
      });
    },
  });

  new Counter({
    ...base(CATALOG.rollbacks),
    async collect() {
      await refresh(this, (s) => {
        for (const r of s.rollbacks) this.inc({ model: r.model, trigger: r.trigger }, r.count);
      });
    },
  });
}
