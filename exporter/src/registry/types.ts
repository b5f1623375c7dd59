/** The registry's vocabulary. Plain data: no HTTP, no SQL. */

export const STAGES = ['development', 'staging', 'production', 'archived'] as const;
export type Stage = (typeof STAGES)[number];

/** Who asked for a rollback: a person (API, CLI, Grafana) or an Alertmanager alert. */
export const ROLLBACK_TRIGGERS = ['manual', 'alert'] as const;
export type RollbackTrigger = (typeof ROLLBACK_TRIGGERS)[number];

/**
 * Lineage is a document passed through as registered, in the API's own (snake_case) shape:
 * the registry only checks it and points parent_version at an existing version.
 */
export interface Lineage {
  data_version?: string;
  code_commit?: string;
  hyperparameters?: Record<string, string | number | boolean | null>;
  environment?: Record<string, string>;
  artifact_uri?: string;
  tags?: Record<string, string>;
  parent_version?: string;
}

/** Validation metrics recorded at registration: accuracy, latency_ms and any others. */
export type ValidationMetrics = Record<string, number>;

/** Gate thresholds per gated stage, keyed `min_<metric>` or `max_<metric>`. */
export type StageGates = Record<string, number>;
export type GatedStage = 'staging' | 'production';
export type GateOverrides = Partial<Record<GatedStage, StageGates>>;

export interface ModelRecord {
  name: string;
  description: string;
  team: string;
  gates: GateOverrides | null;
  /**
   * The class a binary model's `score` is the probability of, as a string (JSON 1 and "1" are
   * one class); null when the registry does not state one (stats/positive-class.ts).
   */
  positiveClass: string | null;
  createdAt: string;
  createdBy: string;
  /** When the model was retired (RegistryService.archiveModel); null while in use. */
  archivedAt: string | null;
}

export interface VersionRecord {
  model: string;
  version: string;
  stage: Stage;
  description: string;
  metrics: ValidationMetrics;
  lineage: Lineage;
  predecessor: string | null;
  createdAt: string;
  createdBy: string;
  stageChangedAt: string;
}

/**
 * Why a row in the transition history exists: an explicit transition, the archival of the
 * production version that a promotion replaced, one of the two moves of a rollback, or the
 * archival of a version because its model was retired.
 */
export type TransitionKind = 'transition' | 'replaced' | 'rollback' | 'retired';

export interface TransitionRecord {
  id: number;
  model: string;
  version: string;
  from: Stage;
  to: Stage;
  kind: TransitionKind;
  trigger: RollbackTrigger | null;
  forced: boolean;
  reason: string;
  actor: string;
  at: string;
}

export type NewTransition = Omit<TransitionRecord, 'id'>;

export interface AuditDraft {
  at: string;
  actor: string;
  action: string;
  model: string | null;
  version: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditEntry extends AuditDraft {
  id: number;
  prevHash: string;
  hash: string;
  /** The audit key the entry was written with (audit-chain.ts); null before the chain was keyed. */
  keyId: string | null;
}

/** An API token as stored: only the sha256 of its secret, never the secret itself. */
export interface StoredToken {
  id: string;
  name: string;
  role: string;
  secretHash: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}
