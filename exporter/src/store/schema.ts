import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for the typed query builder. Timestamps are ISO-8601 strings in both dialects
 * so that rows compare and hash identically on SQLite and PostgreSQL.
 */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  /** sha256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface ReferenceProfilesTable {
  model: string;
  version: string;
  /** JSON of the ReferenceProfile (see ingest/reference-profile.ts). */
  profile: string;
  updated_at: string;
}

/** Registry tables (migration 002). JSON documents are stored as text in both dialects. */
export interface ModelsTable {
  name: string;
  description: string;
  team: string;
  /**
   * JSON of the model's settings: gate overrides (`staging`, `production`) and `positive_class`
   * (issue 11); null for the defaults and no positive class (registry-store.ts settingsJson).
   */
  gates: string | null;
  created_at: string;
  created_by: string;
  /** When the model was retired (migration 007); null while in use. */
  archived_at: string | null;
}

export interface ModelVersionsTable {
  id: Generated<number>;
  model: string;
  version: string;
  stage: string;
  description: string;
  metrics: string;
  lineage: string;
  /** The version that was in production when this one was promoted; rollback target. */
  predecessor: string | null;
  created_at: string;
  created_by: string;
  stage_changed_at: string;
}

export interface StageTransitionsTable {
  id: Generated<number>;
  model: string;
  version: string;
  from_stage: string;
  to_stage: string;
  kind: string;
  trigger: string | null;
  forced: number;
  reason: string;
  actor: string;
  at: string;
}

export interface AuditLogTable {
  id: number;
  at: string;
  actor: string;
  action: string;
  model: string | null;
  version: string | null;
  reason: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
  /** Id of the HMAC key (migration 006); null for entries written before the chain was keyed. */
  key_id: string | null;
}

export interface AuditChainHeadTable {
  id: number;
  last_id: number;
  last_hash: string;
}

/**
 * Outbound webhook subscriptions (migration 003). `secret` is plaintext by necessity: it is
 * the HMAC key each delivery is signed with, so it must be read back (see store/webhook-ports.ts).
 */
export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event names. */
  events: string;
  secret: string;
  description: string;
  created_at: string;
  created_by: string;
}

/** Durable monitoring state (migration 005; see src/durable). */
export interface ModelSnapshotsTable {
  model: string;
  /** Random per write: a replica reloads a model whose generation differs from what it restored. */
  generation: string;
  written_ms: number;
  state: Uint8Array;
  /** The last ingest journal seq the snapshot covers (migration 009); null when written without one. */
  journal_seq: number | null;
}

export interface VersionSnapshotsTable {
  model: string;
  version: string;
  last_seen_ms: number;
  state: Uint8Array;
}

/** Webhook deliveries, written in the transaction of the change that causes them (migration 005). */
export interface WebhookOutboxTable {
  /** The delivery id receivers deduplicate by. */
  id: string;
  webhook_id: string;
  event: string;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  /** pending, delivered or failed. */
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  next_attempt_ms: number;
  finished_at: string | null;
}

/** One acknowledged ingest batch not yet covered by a checkpoint (migration 009; src/durable/journal.ts). */
export interface IngestJournalTable {
  seq: Generated<number>;
  instance: string;
  /** predictions, feedback, kpis or reference. */
  kind: string;
  model: string;
  /** The clock the batch was applied with, in ms. */
  now_ms: number;
  /** The registry's positive class the predictions apply consulted. */
  positive_class: string | null;
  /** The request body as received (reference: the stored profile JSON). */
  body: Uint8Array;
}

export interface Database {
  api_tokens: ApiTokensTable;
  reference_profiles: ReferenceProfilesTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  stage_transitions: StageTransitionsTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  webhooks: WebhooksTable;
  model_snapshots: ModelSnapshotsTable;
  version_snapshots: VersionSnapshotsTable;
  webhook_outbox: WebhookOutboxTable;
  ingest_journal: IngestJournalTable;
}

export type { ColumnType, Generated };
