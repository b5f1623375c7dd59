import { asNumberOrNull, asObject, asString, pick, type JsonObject } from './json';
import {
  STAGES,
  type AuditEntry,
  type AuditVerification,
  type Lineage,
  type ModelSummary,
  type ModelVersion,
  type RollbackResult,
  type Stage,
  type Transition,
} from './types';

function str(obj: JsonObject, ...keys: string[]): string {
  return asString(pick(obj, ...keys)) ?? '';
}

function strOrNull(obj: JsonObject, ...keys: string[]): string | null {
  return asString(pick(obj, ...keys));
}

function strOrUndefined(obj: JsonObject, ...keys: string[]): string | undefined {
  return asString(pick(obj, ...keys)) ?? undefined;
}

function stage(value: unknown): Stage {
  return (STAGES as readonly unknown[]).includes(value) ? (value as Stage) : 'development';
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(value))) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function scalarRecord(value: unknown): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(asObject(value))) {
    out[k] = v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as string | number | boolean | null) : JSON.stringify(v);
  }
  return out;
}

function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(asObject(value))) {
    const n = asNumberOrNull(v);
    if (n !== null) out[k] = n;
  }
  return out;
}

export function toModel(value: unknown): ModelSummary {
  const m = asObject(value);
  const count = pick(m, 'version_count', 'versionCount', 'versions');
  return {
    name: str(m, 'name', 'model'),
    description: str(m, 'description'),
    team: str(m, 'team'),
    productionVersion: strOrNull(m, 'production_version', 'productionVersion'),
    versionCount: asNumberOrNull(count),
    createdAt: strOrNull(m, 'created_at', 'createdAt'),
  };
}

export function toLineage(value: unknown): Lineage {
  const l = asObject(value);
  return {
    dataVersion: strOrUndefined(l, 'data_version', 'dataVersion'),
    codeCommit: strOrUndefined(l, 'code_commit', 'codeCommit'),
    hyperparameters: scalarRecord(pick(l, 'hyperparameters')),
    environment: stringRecord(pick(l, 'environment')),
    artifactUri: strOrUndefined(l, 'artifact_uri', 'artifactUri'),
    tags: stringRecord(pick(l, 'tags')),
    parentVersion: strOrUndefined(l, 'parent_version', 'parentVersion'),
  };
}

export function toVersion(value: unknown): ModelVersion {
  const v = asObject(value);
  return {
    model: str(v, 'model'),
    version: str(v, 'version'),
    stage: stage(v.stage),
    description: str(v, 'description'),
    metrics: numberRecord(v.metrics),
    lineage: toLineage(v.lineage),
    predecessor: strOrNull(v, 'predecessor'),
    createdAt: strOrNull(v, 'created_at', 'createdAt', 'registered_at'),
    createdBy: strOrNull(v, 'created_by', 'createdBy'),
    stageChangedAt: strOrNull(v, 'stage_changed_at', 'stageChangedAt'),
  };
}

export function toTransition(value: unknown): Transition {
  const t = asObject(value);
  return {
    id: asNumberOrNull(t.id) ?? 0,
    model: str(t, 'model'),
    version: str(t, 'version'),
    from: str(t, 'from', 'from_stage'),
    to: str(t, 'to', 'to_stage'),
    kind: str(t, 'kind') || 'transition',
    trigger: strOrNull(t, 'trigger'),
    forced: t.forced === true || t.forced === 1,
    reason: str(t, 'reason'),
    actor: str(t, 'actor'),
    at: str(t, 'at'),
  };
}

export function toAuditEntry(value: unknown): AuditEntry {
  const e = asObject(value);
  return {
    id: asNumberOrNull(pick(e, 'id', 'seq')) ?? 0,
    at: str(e, 'at'),
    actor: str(e, 'actor'),
    action: str(e, 'action'),
    model: strOrNull(e, 'model'),
    version: strOrNull(e, 'version'),
    reason: strOrNull(e, 'reason'),
    after: asObject(e.after),
    hash: str(e, 'hash'),
  };
}

export function toVerification(value: unknown): AuditVerification {
  const v = asObject(value);
  // {ok, entries} or {ok: false, entries, first_broken_id, problem, error} (error names the entry).
  const problem = asString(pick(v, 'error', 'problem', 'message'));
  const brokenId = asNumberOrNull(pick(v, 'first_broken_id', 'firstBrokenId'));
  return {
    valid: pick(v, 'ok', 'valid') === true,
    entries: asNumberOrNull(pick(v, 'entries', 'count')),
    problem: problem ?? (brokenId !== null ? `first broken entry: ${brokenId}` : null),
  };
}

export function toRollbackResult(value: unknown): RollbackResult {
  const r = asObject(value);
  return { fromVersion: str(r, 'from_version', 'fromVersion'), toVersion: str(r, 'to_version', 'toVersion') };
}
