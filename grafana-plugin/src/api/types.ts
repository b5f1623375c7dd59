/**
 * The registry as the pages see it (camelCase view models); normalize.ts maps the exporter's JSON,
 * typed by the generated OpenAPI types, onto them.
 */

export const STAGES = ['development', 'staging', 'production', 'archived'] as const;
export type Stage = (typeof STAGES)[number];

export interface Lineage {
  dataVersion?: string;
  codeCommit?: string;
  hyperparameters: Record<string, string | number | boolean | null>;
  environment: Record<string, string>;
  artifactUri?: string;
  tags: Record<string, string>;
  parentVersion?: string;
}

export interface ModelSummary {
  name: string;
  description: string;
  team: string;
  productionVersion: string | null;
  createdAt: string | null;
  /** When the model was archived (retired); null while in use. */
  archivedAt: string | null;
}

/** What archiving or deleting a model did: its versions with the stage each had before. */
export interface ModelRetirement {
  model: string;
  deleted: boolean;
  versions: Array<{ version: string; stage: Stage }>;
  actor: string;
}

export interface ModelVersion {
  model: string;
  version: string;
  stage: Stage;
  description: string;
  metrics: Record<string, number>;
  lineage: Lineage;
  /** The version that was in production when this one was promoted (the rollback target). */
  predecessor: string | null;
  createdAt: string | null;
  createdBy: string | null;
  stageChangedAt: string | null;
}

export interface Transition {
  id: number;
  model: string;
  version: string;
  from: string;
  to: string;
  kind: string;
  trigger: string | null;
  forced: boolean;
  reason: string;
  actor: string;
  at: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  model: string | null;
  version: string | null;
  reason: string | null;
  /** The state the action replaced (e.g. a previous reference's digest); null when there was none. */
  before: Record<string, unknown> | null;
  /** The state the action left (e.g. `stage`, `archived_version`), as the exporter audited it. */
  after: Record<string, unknown>;
  hash: string;
}

export interface AuditVerification {
  valid: boolean;
  entries: number | null;
  /** What the exporter said about a broken chain (first bad entry, reason). */
  problem: string | null;
}

export interface GateFailure {
  gate: string;
  metric: string;
  required: number | null;
  actual: number | null;
}

export interface RollbackResult {
  fromVersion: string;
  toVersion: string;
}
