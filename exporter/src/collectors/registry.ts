import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { Collector } from './collector.js';
import { selectExposedVersions } from '../registry/exposure.js';
import type { RegistryStore, RollbackCount, StageCount, VersionSummary } from '../registry/ports.js';
import { STAGES } from '../registry/types.js';

interface Snapshot {
  teams: Map<string, string>;
  versions: VersionSummary[];
  transitions: StageCount[];
  rollbacks: RollbackCount[];
}

/** Scrapes close together (several Prometheus servers, replicas' dashboards) share one read. */
const SNAPSHOT_TTL_MS = 1000;

/**
 * Registry series computed at scrape time from the database, so that every replica sharing
 * one PostgreSQL reports the same counters (they count stage_transitions rows, not events
 * this process saw). Models are capped at limits.maxModels (by name) and versions per model
 * at limits.maxVersionsPerModel, live stages first: old archived versions drop off.
 */
export function registryCollector(
  store: RegistryStore,
  limits: { maxModels: number; maxVersionsPerModel: number },
  log: Logger,
): Collector {
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
    // A read from before a step back of the wall clock (NTP) is not "fresh" for the size of the
    // step: without the `< 0`, /metrics would show the stages of then — a rollback unseen — for hours.
    const age = cached ? now - cached.at : Infinity;
    if (!cached || age > SNAPSHOT_TTL_MS || age < 0) {
      cached = { at: now, value: load() };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };

  /** A failed read serves the previous values rather than failing the whole /metrics. */
  let last: Snapshot | undefined;
  const current = async (): Promise<Snapshot | undefined> => {
    try {
      last = await snapshot();
    } catch (err) {
      log.warn({ err, metric: 'registry' }, 'registry metrics read failed; serving previous values');
    }
    return last;
  };

  return {
    name: 'registry',
    async collect(out) {
      const s = await current();
      out.family(CATALOG.modelInfo);
      for (const [model, team] of s?.teams ?? []) out.sample({ model, team }, 1);
      // Every stage of an exposed version gets a series (0 or 1), so a move is a value
      // change in place, which PromQL and Grafana state timelines follow without gaps.
      out.family(CATALOG.modelStage);
      for (const v of s?.versions ?? [])
        for (const stage of STAGES) out.sample({ model: v.model, version: v.version, stage }, v.stage === stage ? 1 : 0);
      out.family(CATALOG.validationAccuracy);
      for (const v of s?.versions ?? []) if (v.accuracy !== null) out.sample({ model: v.model, version: v.version }, v.accuracy);
      out.family(CATALOG.stageTransitions);
      for (const t of s?.transitions ?? []) out.sample({ model: t.model, from: t.from, to: t.to }, t.count);
      out.family(CATALOG.rollbacks);
      for (const r of s?.rollbacks ?? []) out.sample({ model: r.model, trigger: r.trigger }, r.count);
    },
  };
}
