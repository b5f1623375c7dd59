import { ConflictError, InvalidInputError, NotFoundError, UnprocessableError, type FieldProblem } from '../errors.js';
import { ChainVerifier, type ChainVerification, type PublishedHead } from './audit-chain.js';
import { StateReplayer, type UnexplainedRow } from './audit-replay.js';
import { auditDraft } from './audit-draft.js';
import { AuditHeadWatch } from './head-watch.js';
import { StaleRollbackError } from './errors.js';
import type { RegistryEvent, RegistryListener } from './events.js';
import { rollbackTarget } from './production-history.js';
import { describeFailure, effectiveGates, evaluateGates, isGatedStage, type GateFailure } from './gates.js';
import type { AuditQuery, RegistryReads, RegistryStore, RegistryWriteTx } from './ports.js';
import { assertTransitionAllowed } from './stages.js';
import type {
  AuditEntry,
  GatedStage,
  GateOverrides,
  Lineage,
  ModelRecord,
  RollbackTrigger,
  Stage,
  StageGates,
  TransitionRecord,
  ValidationMetrics,
  VersionRecord,
} from './types.js';

export const DEFAULT_TEAM = 'ml';

export interface NewModel {
  name: string;
  description?: string;
  team?: string;
  /** Binary models: the class `score` is the probability of (see ModelRecord.positiveClass). */
  positive_class?: string;
}

export interface NewVersion {
  version: string;
  description?: string;
  metrics?: ValidationMetrics;
  lineage?: Lineage;
}

export interface TransitionRequest {
  to: Stage;
  reason: string;
  /** Skip failing gates; the HTTP layer only lets admins ask for it. */
  force?: boolean;
  /**
   * Moving the production version out of production leaves the model with none: refused
   * unless this is true (API field `allow_empty_production`, CLI `--allow-empty-production`).
   */
  allowEmptyProduction?: boolean;
}

export interface TransitionResult {
  model: string;
  version: string;
  from: Stage;
  to: Stage;
  forced: boolean;
  /** The gates a forced transition skipped. */
  skippedGates: GateFailure[];
  /** The production version a promotion archived. */
  archivedVersion: string | null;
  reason: string;
  actor: string;
  at: string;
}

export interface RollbackRequest {
  reason: string;
  /** Act only while this version is still in production (StaleRollbackError otherwise). */
  fromVersion?: string;
  trigger: RollbackTrigger;
}

export interface RollbackResult {
  model: string;
  fromVersion: string;
  toVersion: string;
  trigger: RollbackTrigger;
  reason: string;
  actor: string;
  at: string;
}

/** What retiring (archiving) or deleting a model did. */
export interface ModelRetirement {
  model: string;
  /** Versions that moved to archived (archive), or every version removed with their stage (delete). */
  versions: { version: string; stage: Stage }[];
  reason: string;
  actor: string;
  at: string;
}

export interface ModelView extends ModelRecord {
  productionVersion: string | null;
  /** What a rollback would return to production now (production-history.ts); only from getModel. */
  rollbackTarget?: string | null;
}

/**
 * The model registry: stage machine, quality gates, promotion and rollback, with every state
 * change written to the audit chain in the same transaction as the change itself.
 * Built once in the composition root (app/root.ts); the alert receiver calls `rollback` with
 * trigger 'alert'.
 */
export class RegistryService {
  private readonly listeners: RegistryListener[] = [];

  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => number = Date.now,
    private readonly watch: AuditHeadWatch = new AuditHeadWatch(),
  ) {}

  /**
   * Subscribes to committed changes: `listener` is called once after each audited write of
   * this service commits (model created, version registered, transitioned, rolled back, gates
   * updated), in subscription order. The composition root subscribes the webhook service.
   */
  onCommitted(listener: RegistryListener): void {
    this.listeners.push(listener);
  }

  /**
   * One audited write: `fn` runs in the store's transaction; `announce` names the change, which
   * the store's in-transaction subscriber (the webhook outbox) sees before commit and the
   * `onCommitted` listeners after it.
   */
  private async write<T>(fn: (tx: RegistryWriteTx) => Promise<T>, announce: (result: T) => RegistryEvent): Promise<T> {
    const { result, event } = await this.store.write(async (tx) => {
      const result = await fn(tx);
      const event = announce(result);
      await tx.announce(event);
      return { result, event };
    });
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // The change has committed; a listener's failure is the listener's to report.
      }
    }
    return result;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** `check`: see PositiveClassCheck, for a model created with a positive class. */
  async createModel(input: NewModel, actor: string, check?: PositiveClassCheck): Promise<ModelView> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        if (await tx.getModel(input.name))
          throw new ConflictError(`model ${input.name} already exists`, undefined, 'MW_ERR_ALREADY_EXISTS');
        if (input.positive_class !== undefined) refusePositiveClass(check?.(input.name, input.positive_class));
        const model = await this.insertModel(tx, input, actor, at);
        return { ...model, productionVersion: null };
      },
      (model) => ({ type: 'model.created', model }),
    );
  }

  private async insertModel(tx: RegistryWriteTx, input: NewModel, actor: string, at: string): Promise<ModelRecord> {
    const model: ModelRecord = {
      name: input.name,
      description: input.description ?? '',
      team: input.team ?? DEFAULT_TEAM,
      gates: null,
      positiveClass: input.positive_class ?? null,
      createdAt: at,
      createdBy: actor,
      archivedAt: null,
    };
    await tx.insertModel(model);
    await tx.appendAudit(
      auditDraft(at, actor, 'model.create', {
        model: model.name,
        after: {
          name: model.name,
          description: model.description,
          team: model.team,
          ...(model.positiveClass !== null ? { positive_class: model.positiveClass } : {}),
        },
      }),
    );
    return model;
  }

  /** Models by name; retired (archived) ones only with `includeArchived`. */
  async listModels(limit: number, includeArchived = false): Promise<ModelView[]> {
    const models = (await this.store.listModels(limit)).filter((m) => includeArchived || m.archivedAt === null);
    const production = await this.store.productionVersions(models.map((m) => m.name));
    return models.map((m) => ({ ...m, productionVersion: production.get(m.name) ?? null }));
  }

  async getModel(name: string): Promise<ModelView> {
    const model = await requireModel(this.store, name);
    const production = await this.store.getProductionVersion(name);
    const rollbackTo = production ? rollbackTarget(await this.store.productionMoves(name), production.version) : undefined;
    return { ...model, productionVersion: production?.version ?? null, rollbackTarget: rollbackTo ?? null };
  }

  /**
   * Registers a version in development. An unknown model is created on the fly (team "ml"),
   * so that a CI job can register its first version in one call; both are audited.
   */
  async registerVersion(modelName: string, input: NewVersion, actor: string): Promise<VersionRecord> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const existing = await tx.getModel(modelName);
        if (existing) refuseArchived(existing, 'register a version');
        else await this.insertModel(tx, { name: modelName }, actor, at);
        if (await tx.getVersion(modelName, input.version))
          throw new ConflictError(`${modelName} ${input.version} is already registered`, undefined, 'MW_ERR_ALREADY_EXISTS');
        const parent = input.lineage?.parent_version;
        if (parent !== undefined && !(await tx.getVersion(modelName, parent))) {
          throw new InvalidInputError(`lineage.parent_version: ${modelName} has no version ${parent}`, [
            { path: 'lineage.parent_version', message: `${modelName} has no version ${parent}` },
          ]);
        }
        const version: VersionRecord = {
          model: modelName,
          version: input.version,
          stage: 'development',
          description: input.description ?? '',
          metrics: input.metrics ?? {},
          lineage: input.lineage ?? {},
          predecessor: null,
          createdAt: at,
          createdBy: actor,
          stageChangedAt: at,
        };
        await tx.insertVersion(version);
        await tx.appendAudit(
          auditDraft(at, actor, 'version.register', {
            model: modelName,
            version: input.version,
            after: { stage: version.stage, description: version.description, metrics: version.metrics, lineage: version.lineage },
          }),
        );
        return version;
      },
      (version) => ({ type: 'version.registered', version }),
    );
  }

  async listVersions(model: string, stage?: Stage): Promise<VersionRecord[]> {
    await requireModel(this.store, model);
    return this.store.listVersions(model, stage);
  }

  async getVersion(model: string, version: string): Promise<VersionRecord> {
    await requireModel(this.store, model);
    return requireVersion(this.store, model, version);
  }

  async listTransitions(model: string, limit: number): Promise<TransitionRecord[]> {
    await requireModel(this.store, model);
    return this.store.listTransitions(model, limit);
  }

  /**
   * Moves a version to another stage. Gates of the target stage are checked against the
   * version's validation metrics; every failure is reported (422) unless forced. Promotion
   * to production archives the current production version and remembers it as the new
   * one's predecessor, which is what rollback returns to.
   */
  async transition(modelName: string, versionName: string, req: TransitionRequest, actor: string): Promise<TransitionResult> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const model = await requireModel(tx, modelName);
        refuseArchived(model, `move ${versionName}`);
        const version = await requireVersion(tx, modelName, versionName);
        const from = version.stage;
        assertTransitionAllowed(modelName, versionName, from, req.to);
        const leavesProductionEmpty = from === 'production';
        if (leavesProductionEmpty && !req.allowEmptyProduction) {
          throw new ConflictError(
            `${modelName} ${versionName} is the production version: moving it to ${req.to} leaves ${modelName} with nothing in production. ` +
              'Promote a replacement, roll back, or confirm with allow_empty_production: true',
            undefined,
            'MW_ERR_PRODUCTION_WOULD_BE_EMPTY',
          );
        }

        const failures = isGatedStage(req.to) ? evaluateGates(effectiveGates(model.gates)[req.to], version.metrics) : [];
        if (failures.length && !req.force) {
          throw new UnprocessableError(
            `${modelName} ${versionName} fails ${failures.length} ${req.to} gate${failures.length > 1 ? 's' : ''}: ${failures.map(describeFailure).join('; ')}`,
            failures,
            'MW_ERR_GATE_FAILED',
          );
        }
        const forced = failures.length > 0;

        let archivedVersion: string | null = null;
        if (req.to === 'production') {
          const current = await tx.getProductionVersion(modelName);
          if (current) {
            await this.move(tx, { model: modelName, version: current.version, from: 'production', to: 'archived', at });
            await tx.insertTransition({
              model: modelName,
              version: current.version,
              from: 'production',
              to: 'archived',
              kind: 'replaced',
              trigger: null,
              forced: false,
              reason: `replaced by ${versionName}: ${req.reason}`,
              actor,
              at,
            });
            archivedVersion = current.version;
          }
          await this.move(tx, { model: modelName, version: versionName, from, to: 'production', at, predecessor: archivedVersion });
        } else {
          await this.move(tx, { model: modelName, version: versionName, from, to: req.to, at });
        }
        await tx.insertTransition({
          model: modelName,
          version: versionName,
          from,
          to: req.to,
          kind: 'transition',
          trigger: null,
          forced,
          reason: req.reason,
          actor,
          at,
        });
        await tx.appendAudit(
          auditDraft(at, actor, forced ? 'version.transition.forced' : 'version.transition', {
            model: modelName,
            version: versionName,
            reason: req.reason,
            before: { stage: from, production_version: req.to === 'production' ? archivedVersion : undefined },
            after: {
              stage: req.to,
              archived_version: archivedVersion ?? undefined,
              skipped_gates: forced ? failures : undefined,
              production_left_empty: leavesProductionEmpty || undefined,
            },
          }),
        );
        return {
          model: modelName,
          version: versionName,
          from,
          to: req.to,
          forced,
          skippedGates: forced ? failures : [],
          archivedVersion,
          reason: req.reason,
          actor,
          at,
        };
      },
      (transition) => ({ type: 'version.transitioned', transition }),
    );
  }

  /**
   * Returns the version that was in production before the current one (production-history.ts,
   * derived from the transition history) to production and archives the current one. Gates
   * are not re-checked: the target was good enough to serve before, and a rollback is what
   * one does when the new version misbehaves.
   */
  async rollback(modelName: string, req: RollbackRequest, actor: string): Promise<RollbackResult> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        await requireModel(tx, modelName);
        const current = await tx.getProductionVersion(modelName);
        if (req.fromVersion !== undefined && current?.version !== req.fromVersion) {
          throw new StaleRollbackError(modelName, req.fromVersion, current?.version ?? null);
        }
        if (!current)
          throw new ConflictError(`${modelName} has no production version; nothing to roll back`, undefined, 'MW_ERR_NOTHING_TO_ROLL_BACK');
        const targetName = rollbackTarget(await tx.productionMoves(modelName), current.version);
        if (!targetName)
          throw new ConflictError(
            `${modelName} ${current.version} has no predecessor to roll back to`,
            undefined,
            'MW_ERR_NOTHING_TO_ROLL_BACK',
          );
        const target = await tx.getVersion(modelName, targetName);
        if (!target)
          throw new ConflictError(`${modelName} predecessor ${targetName} no longer exists`, undefined, 'MW_ERR_NOTHING_TO_ROLL_BACK');

        await this.move(tx, { model: modelName, version: current.version, from: 'production', to: 'archived', at });
        await this.move(tx, { model: modelName, version: target.version, from: target.stage, to: 'production', at });
        await tx.insertTransition({
          model: modelName,
          version: current.version,
          from: 'production',
          to: 'archived',
          kind: 'rollback',
          trigger: req.trigger,
          forced: false,
          reason: req.reason,
          actor,
          at,
        });
        await tx.insertTransition({
          model: modelName,
          version: target.version,
          from: target.stage,
          to: 'production',
          kind: 'rollback',
          trigger: req.trigger,
          forced: false,
          reason: req.reason,
          actor,
          at,
        });
        await tx.appendAudit(
          auditDraft(at, actor, 'model.rollback', {
            model: modelName,
            version: target.version,
            reason: req.reason,
            before: { production_version: current.version, [target.version]: target.stage },
            after: { production_version: target.version, archived_version: current.version, trigger: req.trigger },
          }),
        );
        return {
          model: modelName,
          fromVersion: current.version,
          toVersion: target.version,
          trigger: req.trigger,
          reason: req.reason,
          actor,
          at,
        };
      },
      (rollback) => ({ type: 'model.rolled_back', rollback }),
    );
  }

  /**
   * Retires a model that has nothing in production: every version not yet archived moves to
   * archived (a `retired` transition each), the model is marked archived and leaves the default
   * listings; its history stays readable. 409 while a version is in production (roll back or
   * archive it first, explicitly) or when already archived. Audited as `model.archive`.
   */
  async archiveModel(modelName: string, reason: string, actor: string): Promise<ModelRetirement> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const model = await requireModel(tx, modelName);
        refuseArchived(model, 'archive it');
        await refuseProduction(tx, modelName, 'archive');
        const moved: { version: string; stage: Stage }[] = [];
        for (const v of await tx.listVersions(modelName)) {
          if (v.stage === 'archived') continue;
          await this.move(tx, { model: modelName, version: v.version, from: v.stage, to: 'archived', at });
          await tx.insertTransition({
            model: modelName,
            version: v.version,
            from: v.stage,
            to: 'archived',
            kind: 'retired',
            trigger: null,
            forced: false,
            reason,
            actor,
            at,
          });
          moved.push({ version: v.version, stage: v.stage });
        }
        if (!(await tx.setModelArchived(modelName, at))) throw concurrentChange(modelName);
        await tx.appendAudit(
          auditDraft(at, actor, 'model.archive', {
            model: modelName,
            reason,
            before: { archived: false, stages: Object.fromEntries(moved.map((v) => [v.version, v.stage])) },
            after: { archived: true, archived_versions: moved.map((v) => v.version) },
          }),
        );
        return { model: modelName, versions: moved, reason, actor, at };
      },
      (retirement) => ({ type: 'model.archived', retirement }),
    );
  }

  /**
   * Deletes a model that has nothing in production, with its versions and transition history;
   * the audit log keeps every entry about it, and the `model.delete` entry lists what was removed.
   * 409 while a version is in production. The name is free for a new model afterwards.
   */
  async deleteModel(modelName: string, reason: string, actor: string): Promise<ModelRetirement> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const model = await requireModel(tx, modelName);
        await refuseProduction(tx, modelName, 'delete');
        const versions = (await tx.listVersions(modelName)).map((v) => ({ version: v.version, stage: v.stage }));
        await tx.deleteModel(modelName);
        await tx.appendAudit(
          auditDraft(at, actor, 'model.delete', {
            model: modelName,
            reason,
            before: {
              description: model.description,
              team: model.team,
              archived: model.archivedAt !== null,
              versions: Object.fromEntries(versions.map((v) => [v.version, v.stage])),
            },
            after: { deleted: true },
          }),
        );
        return { model: modelName, versions, reason, actor, at };
      },
      (retirement) => ({ type: 'model.deleted', retirement }),
    );
  }

  private async move(tx: RegistryWriteTx, change: Parameters<RegistryWriteTx['setStage']>[0]): Promise<void> {
    if (!(await tx.setStage(change))) {
      throw new ConflictError(
        `${change.model} ${change.version} changed concurrently (no longer in ${change.from}); retry`,
        undefined,
        'MW_ERR_CONCURRENT_CHANGE',
      );
    }
  }

  async getGates(modelName: string): Promise<{ gates: Record<GatedStage, StageGates>; overrides: GateOverrides | null }> {
    const model = await requireModel(this.store, modelName);
    return { gates: effectiveGates(model.gates), overrides: model.gates };
  }

  /** Replaces the model's overrides; a stage left out goes back to the defaults. */
  async setGates(
    modelName: string,
    overrides: GateOverrides,
    reason: string | null,
    actor: string,
  ): Promise<{ gates: Record<GatedStage, StageGates>; overrides: GateOverrides | null }> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const model = await requireModel(tx, modelName);
        const next = Object.keys(overrides).length ? overrides : null;
        await tx.setModelGates(modelName, next);
        await tx.appendAudit(
          auditDraft(at, actor, 'model.gates.update', {
            model: modelName,
            reason,
            before: { gates: effectiveGates(model.gates) },
            after: { gates: effectiveGates(next) },
          }),
        );
        return { gates: effectiveGates(next), overrides: next };
      },
      (r) => ({ type: 'model.gates_updated', model: modelName, overrides: r.overrides }),
    );
  }

  /**
   * States (or, with null, clears) the class a binary model's `score` is the probability of.
   * Ingest consults it when neither the request nor the reference profile states one, and
   * refuses a batch (400, `positive_class`) whose stated class differs from it. Audited. A class
   * `check` refuses (a multiclass or regression model) is a 409 naming `positive_class`, nothing written.
   */
  async setPositiveClass(
    modelName: string,
    positiveClass: string | null,
    reason: string | null,
    actor: string,
    check?: PositiveClassCheck,
  ): Promise<ModelView> {
    const at = this.iso();
    return this.write(
      async (tx) => {
        const model = await requireModel(tx, modelName);
        if (positiveClass !== null) refusePositiveClass(check?.(modelName, positiveClass));
        await tx.setModelPositiveClass(modelName, positiveClass);
        await tx.appendAudit(
          auditDraft(at, actor, 'model.positive_class.update', {
            model: modelName,
            reason,
            before: { positive_class: model.positiveClass },
            after: { positive_class: positiveClass },
          }),
        );
        const production = await tx.getProductionVersion(modelName);
        return { ...model, positiveClass, productionVersion: production?.version ?? null };
      },
      (m) => ({ type: 'model.positive_class_updated', model: m.name, positiveClass: m.positiveClass }),
    );
  }

  listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.listAudit(query);
  }

  /**
   * Verifies the audit log (DESIGN.md "Integrity"): recomputes every entry's HMAC and link
   * (reporting every break, not only the first), checks the chain still contains the heads
   * published outside the database (this process's metric and checkpoints, plus any
   * `checkpoints` the caller copied from logs), and replays the log against the state tables,
   * reporting rows the log does not explain (audit-replay.ts). Most of the chain is read page
   * by page without locks; its tail, the head and the state tables are then read in one
   * transaction holding the writers' lock, so that they describe one moment.
   */
  async verifyAudit(options: { checkpoints?: readonly PublishedHead[]; pageSize?: number } = {}): Promise<AuditVerification> {
    const pageSize = options.pageSize ?? 1000;
    const verifier = new ChainVerifier(this.store.auditKeys, [...this.watch.published(), ...(options.checkpoints ?? [])]);
    const replay = new StateReplayer();
    let lastRead = 0;
    const readFrom = async (reads: RegistryReads): Promise<void> => {
      for (;;) {
        const page = await reads.auditPage(lastRead, pageSize);
        if (page.length === 0) return;
        verifier.feed(page);
        replay.feed(page);
        lastRead = page[page.length - 1].id;
        if (page.length < pageSize) return;
      }
    };
    await readFrom(this.store);
    const { head, state } = await this.store.write(async (tx) => {
      await readFrom(tx);
      return { head: await tx.auditHead(), state: await tx.auditedState() };
    });
    const chain = verifier.finish(head);
    const { unexplained, count } = replay.compare(state);
    if (chain.ok && count === 0) this.watch.observe({ id: head.lastId, hash: head.lastHash });
    return count === 0 ? chain : { ...chain, ok: false, unexplained, unexplainedCount: count };
  }

  /**
   * The chain head, recorded as published (the caller exposes it on /metrics or logs it).
   * `regression` says how it contradicts a head published earlier by this process.
   */
  async publishAuditHead(): Promise<{ id: number; hash: string; regression?: 'went backwards' | 'rewritten' }> {
    const head = await this.store.auditHead();
    const published = { id: head.lastId, hash: head.lastHash };
    const regression = this.watch.observe(published);
    return regression ? { ...published, regression } : published;
  }
}

export interface AuditVerification extends ChainVerification {
  /** State-table rows the audit log does not explain (at most 100 listed). */
  unexplained?: UnexplainedRow[];
  unexplainedCount?: number;
}

/** Reads through the store or inside a write transaction (both are RegistryReads). */
async function requireModel(reads: RegistryReads, name: string): Promise<ModelRecord> {
  const model = await reads.getModel(name);
  if (!model) throw new NotFoundError(`model ${name} not found`);
  return model;
}

function refuseArchived(model: ModelRecord, what: string): void {
  if (model.archivedAt !== null)
    throw new ConflictError(
      `model ${model.name} was archived at ${model.archivedAt}; cannot ${what}. Delete it to reuse the name`,
      undefined,
      'MW_ERR_MODEL_ARCHIVED',
    );
}

async function refuseProduction(reads: RegistryReads, model: string, what: 'archive' | 'delete'): Promise<void> {
  const production = await reads.getProductionVersion(model);
  if (production)
    throw new ConflictError(
      `cannot ${what} ${model}: ${production.version} is in production. Roll back, or move it out with allow_empty_production, first`,
      { production_version: production.version },
      'MW_ERR_HAS_PRODUCTION',
    );
}

function concurrentChange(model: string): ConflictError {
  return new ConflictError(`${model} changed concurrently; retry`, undefined, 'MW_ERR_CONCURRENT_CHANGE');
}

async function requireVersion(reads: RegistryReads, model: string, version: string): Promise<VersionRecord> {
  const v = await reads.getVersion(model, version);
  if (!v) throw new NotFoundError(`${model} has no version ${version}`);
  return v;
}

/**
 * Why `positive` cannot be stated as `model`'s positive class given what monitoring has seen of
 * the model (a positive class is only meaningful for a binary classifier: not for a regression
 * model, nor one with more than two classes); undefined when it can. The HTTP layer passes the
 * monitor's (ingest/class-arity.ts registryPositiveProblem): the registry itself knows no classes.
 */
export type PositiveClassCheck = (model: string, positive: string) => FieldProblem | undefined;

/** A refused positive class: 409 MW_ERR_CONFLICT, `details` the problem naming `positive_class`. */
function refusePositiveClass(problem: FieldProblem | undefined): void {
  if (problem) throw new ConflictError(`${problem.path}: ${problem.message}`, [problem]);
}
