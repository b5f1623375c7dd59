import { redactUrl } from '../redact-url.js';
import { effectiveGates } from './gates.js';
import type { AuditVerification, ModelRetirement, ModelView, RollbackResult, TransitionResult } from './service.js';
import type { TokenInfo } from './token-service.js';
import type { AuditEntry, GateOverrides, TransitionRecord, VersionRecord } from './types.js';

/**
 * The one presenter of registry results: domain records to their snake_case JSON. The HTTP
 * responses (the shapes in http/routes/registry-schemas.ts) and the webhook payloads
 * (webhooks/outbox-events.ts) both use it, so a field is named and redacted the same way in both.
 */

export function presentModel(m: ModelView) {
  return {
    name: m.name,
    description: m.description,
    team: m.team,
    production_version: m.productionVersion,
    ...(m.rollbackTarget !== undefined ? { rollback_target: m.rollbackTarget } : {}),
    gates: effectiveGates(m.gates),
    gates_overridden: m.gates !== null,
    positive_class: m.positiveClass,
    created_at: m.createdAt,
    created_by: m.createdBy,
    archived_at: m.archivedAt,
  };
}

/** An archived (`deleted` false) or deleted model: its versions as they were before. */
export function presentRetirement(r: ModelRetirement, deleted: boolean) {
  return {
    model: r.model,
    archived: !deleted,
    deleted,
    versions: r.versions.map((v) => ({ version: v.version, stage: v.stage })),
    reason: r.reason,
    actor: r.actor,
    at: r.at,
  };
}

export function presentVersion(v: VersionRecord) {
  return {
    model: v.model,
    version: v.version,
    stage: v.stage,
    description: v.description,
    metrics: v.metrics,
    // A presigned or credentialed artifact URI is stored (and audited) as registered, shown redacted.
    lineage: v.lineage.artifact_uri === undefined ? v.lineage : { ...v.lineage, artifact_uri: redactUrl(v.lineage.artifact_uri) },
    predecessor: v.predecessor,
    created_at: v.createdAt,
    created_by: v.createdBy,
    stage_changed_at: v.stageChangedAt,
  };
}

export function presentTransitionResult(t: TransitionResult) {
  return {
    model: t.model,
    version: t.version,
    from: t.from,
    to: t.to,
    forced: t.forced,
    skipped_gates: t.skippedGates,
    archived_version: t.archivedVersion,
    reason: t.reason,
    actor: t.actor,
    at: t.at,
  };
}

export function presentRollback(r: RollbackResult) {
  return {
    model: r.model,
    from_version: r.fromVersion,
    to_version: r.toVersion,
    trigger: r.trigger,
    reason: r.reason,
    actor: r.actor,
    at: r.at,
  };
}

export function presentTransition(t: TransitionRecord) {
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

export function presentGates(model: string, g: { overrides: GateOverrides | null }) {
  return {
    model,
    gates: effectiveGates(g.overrides),
    overridden: { staging: g.overrides?.staging !== undefined, production: g.overrides?.production !== undefined },
  };
}

export function presentAuditEntry(e: AuditEntry) {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    model: e.model,
    version: e.version,
    reason: e.reason,
    before: e.before,
    after: e.after,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function presentVerification(v: AuditVerification) {
  const unkeyed = v.unkeyedEntries ? { unkeyed_entries: v.unkeyedEntries } : {};
  if (v.ok) return { ok: true, entries: v.entries, ...unkeyed };
  const chain =
    v.firstBrokenId !== undefined
      ? { first_broken_id: v.firstBrokenId, problem: v.problem, broken_count: v.brokenCount, broken: v.broken }
      : {};
  const state = v.unexplainedCount ? { unexplained_count: v.unexplainedCount, unexplained: v.unexplained } : {};
  const error = [
    v.firstBrokenId !== undefined ? `audit entry ${v.firstBrokenId}: ${v.problem} (${v.brokenCount} break(s) in all)` : '',
    v.unexplainedCount ? `${v.unexplainedCount} state row(s) the audit log does not explain` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { ok: false, entries: v.entries, ...unkeyed, ...chain, ...state, error };
}

/** Never the secret nor its hash. */
export function presentToken(t: TokenInfo) {
  return { id: t.id, name: t.name, role: t.role, created_at: t.createdAt, created_by: t.createdBy, revoked_at: t.revokedAt };
}
