/**
 * The exporter's JSON, typed by the types openapi-typescript generates from its OpenAPI document
 * (exporter/src/api/openapi-types.ts, `npm run api -w exporter`), mapped onto the pages' camelCase
 * view models (types.ts). One spelling per field: the document's.
 */
import type { components } from '../../../exporter/src/api/openapi-types';
import type {
  AuditEntry,
  AuditVerification,
  Lineage,
  ModelRetirement,
  ModelSummary,
  ModelVersion,
  RollbackResult,
  Transition,
} from './types';

type Schemas = components['schemas'];
export type ApiModel = Schemas['Model'];
export type ApiVersion = Schemas['Version'];
export type ApiTransition = Schemas['ListTransitionsResponse']['transitions'][number];
export type ApiAuditEntry = Schemas['ListAuditResponse']['entries'][number];
export type ApiVerification = Schemas['VerifyAuditResponse'];
export type ApiRollback = Schemas['RollbackModelResponse'];
export type ApiRetirement = Schemas['ModelRetirement'];
export type ApiListModels = Schemas['ListModelsResponse'];
export type ApiListVersions = Schemas['ListVersionsResponse'];
export type ApiListTransitions = Schemas['ListTransitionsResponse'];
export type ApiListAudit = Schemas['ListAuditResponse'];

export function toModel(m: ApiModel): ModelSummary {
  return {
    name: m.name,
    description: m.description,
    team: m.team,
    productionVersion: m.production_version,
    createdAt: m.created_at,
    archivedAt: m.archived_at,
  };
}

export function toRetirement(r: ApiRetirement): ModelRetirement {
  return { model: r.model, deleted: r.deleted, versions: r.versions.map((v) => ({ version: v.version, stage: v.stage })), actor: r.actor };
}

export function toLineage(l: ApiVersion['lineage']): Lineage {
  return {
    dataVersion: l.data_version,
    codeCommit: l.code_commit,
    hyperparameters: l.hyperparameters ?? {},
    environment: l.environment ?? {},
    artifactUri: l.artifact_uri,
    tags: l.tags ?? {},
    parentVersion: l.parent_version,
  };
}

export function toVersion(v: ApiVersion): ModelVersion {
  return {
    model: v.model,
    version: v.version,
    stage: v.stage,
    description: v.description,
    metrics: v.metrics,
    lineage: toLineage(v.lineage),
    predecessor: v.predecessor,
    createdAt: v.created_at,
    createdBy: v.created_by,
    stageChangedAt: v.stage_changed_at,
  };
}

export function toTransition(t: ApiTransition): Transition {
  return {
    id: t.id,
    model: t.model,
    version: t.version,
    from: t.from,
    to: t.to,
    kind: t.kind,
    trigger: t.trigger,
    forced: t.forced,
    reason: t.reason,
    actor: t.actor,
    at: t.at,
  };
}

export function toAuditEntry(e: ApiAuditEntry): AuditEntry {
  const record = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const after = record(e.after) ?? {};
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    model: e.model,
    version: e.version,
    reason: e.reason,
    before: record(e.before),
    after,
    hash: e.hash,
  };
}

/** `{ok, entries}`, or `{ok: false, …}` with `error` naming the first break (or `first_broken_id`). */
export function toVerification(v: ApiVerification): AuditVerification {
  const problem = v.error ?? v.problem ?? null;
  return {
    valid: v.ok,
    entries: v.entries,
    problem: problem ?? (v.first_broken_id !== undefined ? `first broken entry: ${v.first_broken_id}` : null),
  };
}

export function toRollbackResult(r: ApiRollback): RollbackResult {
  return { fromVersion: r.from_version, toVersion: r.to_version };
}
