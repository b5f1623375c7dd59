import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  AuditQuery,
  RegistryReads,
  RegistryStore,
  RegistryWriteTx,
  RollbackCount,
  StageCount,
  VersionSummary,
} from '../registry/ports.js';
import type {
  AuditEntry,
  GateOverrides,
  Lineage,
  ModelRecord,
  NewTransition,
  RollbackTrigger,
  Stage,
  StoredToken,
  TransitionKind,
  TransitionRecord,
  ValidationMetrics,
  VersionRecord,
} from '../registry/types.js';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import type { AuditedState } from '../registry/audit-replay.js';
import { profileDigest } from './reference-store.js';
import type { RegistryEvent } from '../registry/events.js';
import { AuditStore, type ChainHead } from './audit-store.js';
import { auditedWrite, type AppendAudit } from './audited-write.js';
import type { Database, ModelVersionsTable, ModelsTable, StageTransitionsTable } from './schema.js';
import { TokenStore } from './token-store.js';

type Executor = Kysely<Database>;

/** Reads shared by the store and its write transactions. */
class Reads implements RegistryReads {
  constructor(protected readonly ex: Executor) {}

  async getModel(name: string): Promise<ModelRecord | undefined> {
    const row = await this.ex.selectFrom('models').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toModel(row) : undefined;
  }

  async listVersions(model: string, stage?: Stage): Promise<VersionRecord[]> {
    let q = this.ex.selectFrom('model_versions').selectAll().where('model', '=', model);
    if (stage) q = q.where('stage', '=', stage);
    const rows = await q.orderBy('id').execute();
    return rows.map(toVersion);
  }

  async getVersion(model: string, version: string): Promise<VersionRecord | undefined> {
    const row = await this.ex
      .selectFrom('model_versions')
      .selectAll()
      .where('model', '=', model)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async getProductionVersion(model: string): Promise<VersionRecord | undefined> {
    const row = await this.ex
      .selectFrom('model_versions')
      .selectAll()
      .where('model', '=', model)
      .where('stage', '=', 'production')
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  /** Entries with id > afterId in id order (verification pages through with this). */
  auditPage(afterId: number, limit: number): Promise<AuditEntry[]> {
    return new AuditStore(this.ex).page(afterId, limit);
  }

  auditHead(): Promise<ChainHead> {
    return new AuditStore(this.ex).head();
  }

  async auditedState(): Promise<AuditedState> {
    const [models, versions, tokens, webhooks, references] = await Promise.all([
      this.ex.selectFrom('models').select(['name', 'gates', 'archived_at']).execute(),
      this.ex.selectFrom('model_versions').select(['model', 'version', 'stage']).execute(),
      this.ex.selectFrom('api_tokens').select(['id', 'role', 'revoked_at', 'created_by']).execute(),
      this.ex.selectFrom('webhooks').select(['id', 'url', 'events']).execute(),
      this.ex.selectFrom('reference_profiles').select(['model', 'version', 'profile']).execute(),
    ]);
    return {
      models: models.map((m) => ({
        name: m.name,
        gates: m.gates === null ? null : gatesOf(parseLoose(m.gates)),
        archived: m.archived_at !== null,
      })),
      versions: versions.map((v) => ({ model: v.model, version: v.version, stage: v.stage as Stage })),
      tokens: tokens.map((t) => ({ id: t.id, role: t.role, revoked: t.revoked_at !== null, createdBy: t.created_by })),
      webhooks: webhooks.map((h) => ({ id: h.id, url: h.url, events: (parseLoose(h.events) as string[] | null) ?? [] })),
      // The digest of the text as stored, the same one the upload's audit entry logged.
      references: references.map((r) => ({ model: r.model, version: r.version, profileSha256: profileDigest(r.profile) })),
    };
  }

  async productionMoves(model: string): Promise<TransitionRecord[]> {
    const rows = await this.ex
      .selectFrom('stage_transitions')
      .selectAll()
      .where('model', '=', model)
      .where((eb) => eb.or([eb('to_stage', '=', 'production'), eb('from_stage', '=', 'production')]))
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toTransition);
  }
}

/**
 * Runs inside the transaction of a registry write, with the event the change announces: what it
 * writes commits or rolls back with the change (the webhook outbox's delivery rows).
 */
export type InTransactionSubscriber = (tx: Transaction<Database>, event: RegistryEvent) => Promise<void>;

class WriteTx extends Reads implements RegistryWriteTx {
  private readonly tokens: TokenStore;

  constructor(
    private readonly tx: Transaction<Database>,
    readonly appendAudit: AppendAudit,
    private readonly subscriber: InTransactionSubscriber | undefined,
  ) {
    super(tx);
    this.tokens = new TokenStore(tx);
  }

  async announce(event: RegistryEvent): Promise<void> {
    if (this.subscriber) await this.subscriber(this.tx, event);
  }

  async insertModel(m: ModelRecord): Promise<void> {
    await this.tx
      .insertInto('models')
      .values({
        name: m.name,
        description: m.description,
        team: m.team,
        gates: settingsJson(m.gates, m.positiveClass),
        created_at: m.createdAt,
        created_by: m.createdBy,
        archived_at: m.archivedAt,
      })
      .execute();
  }

  async setModelArchived(name: string, at: string): Promise<boolean> {
    const r = await this.tx
      .updateTable('models')
      .set({ archived_at: at })
      .where('name', '=', name)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteModel(name: string): Promise<void> {
    // Children first: versions and transitions reference the model row.
    await this.tx.deleteFrom('stage_transitions').where('model', '=', name).execute();
    await this.tx.deleteFrom('model_versions').where('model', '=', name).execute();
    await this.tx.deleteFrom('models').where('name', '=', name).execute();
  }

  async setModelGates(name: string, gates: GateOverrides | null): Promise<void> {
    const current = await this.getModel(name);
    await this.tx
      .updateTable('models')
      .set({ gates: settingsJson(gates, current?.positiveClass ?? null) })
      .where('name', '=', name)
      .execute();
  }

  async setModelPositiveClass(name: string, positiveClass: string | null): Promise<void> {
    const current = await this.getModel(name);
    await this.tx
      .updateTable('models')
      .set({ gates: settingsJson(current?.gates ?? null, positiveClass) })
      .where('name', '=', name)
      .execute();
  }

  async insertVersion(v: VersionRecord): Promise<void> {
    await this.tx
      .insertInto('model_versions')
      .values({
        model: v.model,
        version: v.version,
        stage: v.stage,
        description: v.description,
        metrics: JSON.stringify(v.metrics),
        lineage: JSON.stringify(v.lineage),
        predecessor: v.predecessor,
        created_at: v.createdAt,
        created_by: v.createdBy,
        stage_changed_at: v.stageChangedAt,
      })
      .execute();
  }

  async setStage(c: { model: string; version: string; from: Stage; to: Stage; at: string; predecessor?: string | null }): Promise<boolean> {
    const res = await this.tx
      .updateTable('model_versions')
      .set({ stage: c.to, stage_changed_at: c.at, ...(c.predecessor !== undefined ? { predecessor: c.predecessor } : {}) })
      .where('model', '=', c.model)
      .where('version', '=', c.version)
      .where('stage', '=', c.from)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async insertTransition(t: NewTransition): Promise<TransitionRecord> {
    const row = await this.tx
      .insertInto('stage_transitions')
      .values({
        model: t.model,
        version: t.version,
        from_stage: t.from,
        to_stage: t.to,
        kind: t.kind,
        trigger: t.trigger,
        forced: t.forced ? 1 : 0,
        reason: t.reason,
        actor: t.actor,
        at: t.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...t, id: Number(row.id) };
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return this.tokens.get(id);
  }

  insertToken(token: StoredToken): Promise<void> {
    return this.tokens.insert(token);
  }

  revokeToken(id: string, at: string): Promise<boolean> {
    return this.tokens.revoke(id, at);
  }
}

/** The registry store for both dialects; see RegistryStore for the write protocol. */
export class KyselyRegistryStore extends Reads implements RegistryStore {
  private readonly audit: AuditStore;
  private readonly tokens: TokenStore;

  /** `inTransaction`: told of each registry write's event inside its transaction (the webhook outbox). */
  constructor(
    private readonly db: Executor,
    private readonly keys: AuditKeyRing,
    private readonly inTransaction?: InTransactionSubscriber,
  ) {
    super(db);
    this.audit = new AuditStore(db);
    this.tokens = new TokenStore(db);
  }

  get auditKeys(): AuditKeyRing {
    return this.keys;
  }

  write<T>(fn: (tx: RegistryWriteTx) => Promise<T>): Promise<T> {
    return auditedWrite(this.db, this.keys, (tx, appendAudit) => fn(new WriteTx(tx, appendAudit, this.inTransaction)));
  }

  async listModels(limit: number): Promise<ModelRecord[]> {
    const rows = await this.db.selectFrom('models').selectAll().orderBy('name').limit(limit).execute();
    return rows.map(toModel);
  }

  async productionVersions(models: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (models.length === 0) return out;
    const rows = await this.db
      .selectFrom('model_versions')
      .select(['model', 'version'])
      .where('stage', '=', 'production')
      .where('model', 'in', [...models])
      .execute();
    for (const r of rows) out.set(r.model, r.version);
    return out;
  }

  async listTransitions(model: string, limit: number): Promise<TransitionRecord[]> {
    const rows = await this.db
      .selectFrom('stage_transitions')
      .selectAll()
      .where('model', '=', model)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toTransition);
  }

  listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list(query);
  }

  async versionSummaries(): Promise<VersionSummary[]> {
    const rows = await this.db.selectFrom('model_versions').select(['model', 'version', 'stage', 'metrics', 'stage_changed_at']).execute();
    return rows.map((r) => {
      const metrics = parseObject(r.metrics) as ValidationMetrics;
      const accuracy = typeof metrics.accuracy === 'number' ? metrics.accuracy : null;
      return { model: r.model, version: r.version, stage: r.stage as Stage, accuracy, stageChangedAt: r.stage_changed_at };
    });
  }

  async transitionCounts(): Promise<StageCount[]> {
    const rows = await this.db
      .selectFrom('stage_transitions')
      .select((eb) => ['model', 'from_stage', 'to_stage', eb.fn.countAll().as('n')])
      .groupBy(['model', 'from_stage', 'to_stage'])
      .execute();
    return rows.map((r) => ({ model: r.model, from: r.from_stage as Stage, to: r.to_stage as Stage, count: Number(r.n) }));
  }

  /** One rollback = the row that put the predecessor back in production. */
  async rollbackCounts(): Promise<RollbackCount[]> {
    const rows = await this.db
      .selectFrom('stage_transitions')
      .select((eb) => ['model', 'trigger', eb.fn.countAll().as('n')])
      .where('kind', '=', 'rollback')
      .where('to_stage', '=', 'production')
      .groupBy(['model', 'trigger'])
      .execute();
    return rows.map((r) => ({ model: r.model, trigger: (r.trigger ?? 'manual') as RollbackTrigger, count: Number(r.n) }));
  }

  listTokens(): Promise<StoredToken[]> {
    return this.tokens.list();
  }
}

function parseObject(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * The models.gates column holds the model's settings document: its gate overrides (`staging`,
 * `production`) and, since issue 11, `positive_class` — kept in the one JSON column so that the
 * setting needs no migration. Null when the model has neither.
 */
function settingsJson(gates: GateOverrides | null, positiveClass: string | null): string | null {
  if (gates === null && positiveClass === null) return null;
  return JSON.stringify({ ...(gates ?? {}), ...(positiveClass !== null ? { positive_class: positiveClass } : {}) });
}

/** The gate overrides of a settings document (settingsJson); null when it has none. */
function gatesOf(doc: unknown): GateOverrides | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const { positive_class: _, ...gates } = doc as Record<string, unknown>;
  return Object.keys(gates).length ? (gates as GateOverrides) : null;
}

function toModel(r: Selectable<ModelsTable>): ModelRecord {
  const settings = r.gates ? parseObject(r.gates) : {};
  return {
    name: r.name,
    description: r.description,
    team: r.team,
    gates: gatesOf(settings),
    positiveClass: typeof settings.positive_class === 'string' ? settings.positive_class : null,
    createdAt: r.created_at,
    createdBy: r.created_by,
    archivedAt: r.archived_at ?? null,
  };
}

function toVersion(r: Selectable<ModelVersionsTable>): VersionRecord {
  return {
    model: r.model,
    version: r.version,
    stage: r.stage as Stage,
    description: r.description,
    metrics: parseObject(r.metrics) as ValidationMetrics,
    lineage: parseObject(r.lineage) as Lineage,
    predecessor: r.predecessor,
    createdAt: r.created_at,
    createdBy: r.created_by,
    stageChangedAt: r.stage_changed_at,
  };
}

function toTransition(r: Selectable<StageTransitionsTable>): TransitionRecord {
  return {
    id: Number(r.id),
    model: r.model,
    version: r.version,
    from: r.from_stage as Stage,
    to: r.to_stage as Stage,
    kind: r.kind as TransitionKind,
    trigger: r.trigger as RollbackTrigger | null,
    forced: Number(r.forced) === 1,
    reason: r.reason,
    actor: r.actor,
    at: r.at,
  };
}

/** JSON written by hand may not parse: null then, so that replay reports the row. */
function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
