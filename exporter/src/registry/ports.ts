import type { RegistryEvent } from './events.js';
import type { AuditKeyRing } from './audit-chain.js';
import type { AuditedState } from './audit-replay.js';
import type {
  AuditDraft,
  AuditEntry,
  GateOverrides,
  ModelRecord,
  NewTransition,
  RollbackTrigger,
  Stage,
  StoredToken,
  TransitionRecord,
  VersionRecord,
} from './types.js';

/**
 * What the registry domain needs from storage. Implemented once with kysely for SQLite and
 * PostgreSQL (store/registry-store.ts); the domain never sees SQL.
 */
export interface RegistryReads {
  getModel(name: string): Promise<ModelRecord | undefined>;
  getVersion(model: string, version: string): Promise<VersionRecord | undefined>;
  getProductionVersion(model: string): Promise<VersionRecord | undefined>;
  listVersions(model: string, stage?: Stage): Promise<VersionRecord[]>;
  /** The model's transitions into or out of production, oldest first (rollback targets). */
  productionMoves(model: string): Promise<TransitionRecord[]>;
  /** Entries with id > afterId in id order; verification pages through with this. */
  auditPage(afterId: number, limit: number): Promise<AuditEntry[]>;
  auditHead(): Promise<{ lastId: number; lastHash: string }>;
  /** The state tables the audit log describes, for replay (audit-replay.ts). */
  auditedState(): Promise<AuditedState>;
}

export interface AuditQuery {
  model?: string;
  limit: number;
  /** Only entries with a smaller id (the cursor of the previous page). */
  before?: number;
}

export interface StageCount {
  model: string;
  from: Stage;
  to: Stage;
  count: number;
}

export interface RollbackCount {
  model: string;
  trigger: RollbackTrigger;
  count: number;
}

/** One row per version, just what /metrics needs. */
export interface VersionSummary {
  model: string;
  version: string;
  stage: Stage;
  accuracy: number | null;
  stageChangedAt: string;
}

export interface RegistryStore extends RegistryReads {
  /**
   * Runs `fn` in one transaction whose first act is to lock the audit chain head. That lock
   * serializes every registry write across processes and replicas, so the domain's checks
   * see the latest committed state and the audit chain never forks. Database constraint
   * violations (a second production version, a duplicate name) surface as ConflictError.
   */
  write<T>(fn: (tx: RegistryWriteTx) => Promise<T>): Promise<T>;

  listModels(limit: number): Promise<ModelRecord[]>;
  /** Production version name per model, for listings. */
  productionVersions(models: readonly string[]): Promise<Map<string, string>>;
  listTransitions(model: string, limit: number): Promise<TransitionRecord[]>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  /** The keys entries are signed and verified with. */
  readonly auditKeys: AuditKeyRing;

  versionSummaries(): Promise<VersionSummary[]>;
  transitionCounts(): Promise<StageCount[]>;
  rollbackCounts(): Promise<RollbackCount[]>;
  listTokens(): Promise<StoredToken[]>;
}

export interface RegistryWriteTx extends RegistryReads {
  insertModel(model: ModelRecord): Promise<void>;
  setModelGates(name: string, gates: GateOverrides | null): Promise<void>;
  setModelPositiveClass(name: string, positiveClass: string | null): Promise<void>;
  /** Marks the model retired at `at`; false when it already was. */
  setModelArchived(name: string, at: string): Promise<boolean>;
  /** Removes the model, its versions and its transition history (the audit log keeps them). */
  deleteModel(name: string): Promise<void>;
  insertVersion(version: VersionRecord): Promise<void>;
  /**
   * Moves a version from `from` to `to` only if it is still in `from`; false otherwise.
   * `predecessor` is written when given (promotion records the version it replaced).
   */
  setStage(change: { model: string; version: string; from: Stage; to: Stage; at: string; predecessor?: string | null }): Promise<boolean>;
  insertTransition(t: NewTransition): Promise<TransitionRecord>;
  /** Appends to the hash chain (the head is already locked by write()). */
  appendAudit(draft: AuditDraft): Promise<AuditEntry>;
  /**
   * Hands the change's event to the store's in-transaction subscriber (the webhook outbox, wired
   * in app/root.ts), whose rows commit or roll back with the change. Called by the registry
   * service once per audited write, last thing before commit.
   */
  announce(event: RegistryEvent): Promise<void>;
  getToken(id: string): Promise<StoredToken | undefined>;
  insertToken(token: StoredToken): Promise<void>;
  revokeToken(id: string, at: string): Promise<boolean>;
}
