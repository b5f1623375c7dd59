import type { VersionSummary } from './ports.js';
import type { Stage } from './types.js';

const STAGE_PRIORITY: Record<Stage, number> = { production: 0, staging: 1, development: 2, archived: 3 };

/**
 * Which versions /metrics shows: per model at most `perModel`, the live stages first and the
 * most recently changed within a stage, for at most `maxModels` models (by name). Old archived
 * versions fall off the end, which keeps the series count bounded however long the history.
 */
export function selectExposedVersions(rows: readonly VersionSummary[], maxModels: number, perModel: number): VersionSummary[] {
  const byModel = new Map<string, VersionSummary[]>();
  for (const r of rows) {
    const list = byModel.get(r.model);
    if (list) list.push(r);
    else byModel.set(r.model, [r]);
  }
  const models = [...byModel.keys()].sort().slice(0, maxModels);
  const out: VersionSummary[] = [];
  for (const m of models) {
    const list = byModel.get(m)!;
    list.sort(
      (a, b) =>
        STAGE_PRIORITY[a.stage] - STAGE_PRIORITY[b.stage] ||
        (a.stageChangedAt < b.stageChangedAt ? 1 : a.stageChangedAt > b.stageChangedAt ? -1 : 0),
    );
    out.push(...list.slice(0, perModel));
  }
  return out;
}
