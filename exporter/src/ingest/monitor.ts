import { eventTime, futureTimestampProblems } from './event-time.js';
import { SteadyClock } from './steady-clock.js';
import type { Config } from '../config/config.js';
import { BatchNotAppliedError, type FieldProblem } from '../errors.js';
import { transaction, undoableTransaction } from '../windows/txn.js';
import { DropCounter, type Drop, type DropReason, type DropTally } from './drop-reasons.js';
import { observeEstimate } from './estimate-tracker.js';
import { LabelJoin } from './label-join.js';
import type { ModelState } from './model-state.js';
import type { ReferenceProfile, Task } from './reference-profile.js';
import { isFailedEvent, type FeedbackBody, type KpisBody, type PredictionEvent, type PredictionsBody } from './schemas.js';
import { inferTask, taskOrigin, taskProblems } from './task-inference.js';
import {
  agreedPositiveClass,
  inferredLabelProblems,
  positiveSources,
  settlePositiveClass,
  settlesPositiveClass,
} from './binary-positive.js';
import { feedbackArityProblems, predictionsArityProblem, referenceArityProblem, registryPositiveProblem } from './class-arity.js';
import { VersionLifecycle } from './version-lifecycle.js';
import { observe, type VersionState } from './version-state.js';

export interface IngestResult {
  /** Events applied (predictions) or labels taken (joined or held, feedback); KPI values set. */
  accepted: number;
  dropped: DropTally;
  /** Predictions: ids not counted because they repeat a known prediction (first 100). */
  duplicateIds?: string[];
  /** Class names this batch folded into __other__ (first LISTED_FOLDED, in order). */
  foldedClasses?: string[];
  /** Feedback: labels joined to their prediction now, and labels held for a prediction to come. */
  joined?: number;
  held?: number;
}

/** How many repeated ids a predictions response lists. */
const LISTED_DUPLICATES = 100;
/** How many folded class names a response lists. */
const LISTED_FOLDED = 20;

/**
 * In-memory monitoring state for the fleet: what ingest writes and the collectors read. This
 * class orchestrates; the parts live beside it: which models and versions are tracked
 * (version-lifecycle.ts), the label join (label-join.ts) and task inference (task-inference.ts).
 * Callers validate first (schemas, then `check*`): a rejected batch changes nothing. Each
 * `apply*` is then a transaction (windows/txn.ts): should anything throw while a batch is being
 * applied, every structure it touched is written back, so the monitoring state (snapshots,
 * /metrics, status) is exactly as before; the caller gets a BatchNotAppliedError (500
 * MW_ERR_BATCH_NOT_APPLIED), counted in `applyFailures`, and a retry applies the batch as if
 * the failure never happened. The process-wide counters (`dropped`, `ingested`, `applyFailures`)
 * are only added to once the batch succeeded, and not while the start rebuilds state (see
 * `restoring`). Time comes from `now` so tests can simulate it; it is window time, which never
 * runs backwards when the wall clock does (steady-clock.ts): given only a wall clock, the monitor
 * makes its own SteadyClock over it; the root passes the one its window clock, journal and
 * checkpoints share, with `now` reading it (pinned to a batch's recorded time while applying).
 */
export class Monitor {
  readonly models: Map<string, ModelState>;
  readonly dropped = new DropCounter();
  readonly ingested = { predictions: 0, feedback: 0, kpis: 0 };
  /** Events the start re-applied from the journal, as `ingested` would have counted them (modelwatch_journal_replayed_events_total). */
  readonly replayed = { predictions: 0, feedback: 0, kpis: 0 };
  /** Batches rolled back because applying them threw (modelwatch_ingest_failures_total). */
  readonly applyFailures = { predictions: 0, feedback: 0, kpis: 0, reference: 0 };
  /** Inside `restoring`: the process-wide counters are left alone. */
  private rebuilding = false;
  private readonly lifecycle: VersionLifecycle;
  private readonly join: LabelJoin;
  private stamp = 0;
  /** The clock window time comes from: its steps back absorbed, event timestamps mapped onto it. */
  readonly clock: SteadyClock;
  /** Window time (ms). */
  readonly now: () => number;

  constructor(
    private readonly config: Config,
    now: () => number,
    clock?: SteadyClock,
  ) {
    this.clock = clock ?? new SteadyClock(now);
    this.now = clock ? now : this.clock.now;
    this.lifecycle = new VersionLifecycle(config);
    this.models = this.lifecycle.models;
    this.join = new LabelJoin(config);
  }

  /**
   * Runs `f` — the start rebuilding state a previous process took: stored references, journal
   * replay and the window clock's ticks at the replayed times — without adding to the
   * process-wide counters (`ingested`, `dropped`, `applyFailures`). The previous process counted
   * those batches, drops and expiries when they happened; counting them again would make
   * Prometheus' increase() over the crash count them twice. Events are counted in `replayed`
   * instead. Synchronous; not reentrant.
   */
  restoring<T>(f: () => T): T {
    this.rebuilding = true;
    try {
      return f();
    } finally {
      this.rebuilding = false;
      // A replayed batch ran at its recorded time (the journal pins it): window time goes on from
      // there, even if this process's wall clock is behind the one that recorded it.
      this.clock.absorb(this.now());
    }
  }

  /**
   * After a model's snapshot was restored: window time goes on from the latest time its state
   * holds, even if the wall clock is behind it (SteadyClock.absorb) — else new events would land
   * in old buckets, or outside the window, until the wall clock caught up.
   */
  absorbRestoredTime(model: ModelState): void {
    let latest = -Infinity;
    for (const v of model.versions.values()) latest = Math.max(latest, v.lastSeen, v.windowTime);
    if (latest > -Infinity) this.clock.absorb(latest);
  }

  /** Adds accepted events to `ingested`, or to `replayed` while restoring. */
  private countIngested(endpoint: keyof Monitor['ingested'], n: number): void {
    (this.rebuilding ? this.replayed : this.ingested)[endpoint] += n;
  }

  private countDrops(tally: DropTally): void {
    if (this.rebuilding) return;
    for (const [reason, n] of Object.entries(tally)) this.dropped.add(reason as DropReason, n);
  }

  get pendingCount(): number {
    return this.join.pendingCount;
  }

  /**
   * Drops the labels held longer than MODELWATCH_HELD_LABEL_SECONDS, in every model (run by the
   * window clock, so a model that receives nothing more still lets them go).
   */
  expireHeldLabels(now = this.now()): void {
    if (this.join.heldCount === 0) return;
    const tally: DropTally = {};
    const drop = tallyInto(tally);
    for (const model of this.models.values()) if (model.held.size > 0) this.join.expire(model, now, drop);
    this.join.expireUnknown(now, drop);
    this.countDrops(tally);
  }

  /**
   * Drops the predictions that waited for their label longer than
   * MODELWATCH_PENDING_PREDICTION_SECONDS, in every model (run by the window clock, like
   * expireHeldLabels: a model whose traffic stopped still lets them go).
   */
  expirePendingPredictions(now = this.now()): void {
    if (this.join.pendingCount === 0) return;
    const tally: DropTally = {};
    const drop = tallyInto(tally);
    for (const model of this.models.values()) if (model.pending.size > 0) this.join.expirePending(model, now, drop);
    this.countDrops(tally);
  }

  /** Labels held for a prediction still to come, over all models. */
  get heldCount(): number {
    return this.join.heldCount;
  }

  /**
   * Semantic checks that need model state or the clock (timestamps ahead of it, task consistency,
   * positive class); [] when the batch may be applied. `registeredPositive` is the model registry's positive class for the model.
   */
  checkPredictions(body: PredictionsBody, registeredPositive?: string): FieldProblem[] {
    // Timestamps are the clients' wall clocks: compared with ours, not with window time.
    const future = futureTimestampProblems(body.events, this.now() - this.clock.offsetMs);
    if (future.length) return future;
    const model = this.models.get(body.model);
    const problems = taskProblems(model?.task, body);
    if (problems.length || (model?.task ?? body.task ?? inferTask(body.events)) === 'regression') return problems;
    const { positive, problem } = settlePositiveClass(model, body, registeredPositive);
    if (problem) return [problem];
    const where =
      body.positive_class !== undefined
        ? 'this request'
        : registeredPositive !== undefined
          ? 'the model registry'
          : model?.positiveClass !== undefined
            ? 'stated or inferred earlier'
            : 'inferred from the classes';
    const arity = predictionsArityProblem(model, body, { name: positive, where });
    return arity ? [arity] : [];
  }

  /** Applies a batch checkPredictions accepted, with the same `registeredPositive`; all or nothing (see the class comment). */
  applyPredictions(body: PredictionsBody, registeredPositive?: string): IngestResult {
    const tally: DropTally = {};
    const result = this.atomically('predictions', tally, () => this.predictionsBatch(body, registeredPositive, tally));
    this.countIngested('predictions', result.accepted);
    return result;
  }

  private predictionsBatch(body: PredictionsBody, registeredPositive: string | undefined, tally: DropTally): IngestResult {
    const now = this.now();
    const foldedNames = new Set<string>();
    const drop = tallyInto(tally, foldedNames);
    const model = this.lifecycle.modelFor(body.model);
    if (!model) {
      drop('model_limit', body.events.length);
      return { accepted: 0, dropped: tally };
    }
    model.touch();
    this.join.adopt(model);
    model.task ??= body.task ?? inferTask(body.events);
    if (model.task === 'classification') {
      const { positive } = settlePositiveClass(model, body, registeredPositive);
      if (positive !== undefined && settlesPositiveClass(model, body, positive)) model.setPositiveClass(positive);
    }
    const { version, folded } = this.lifecycle.versionFor(model, body.version, now);
    if (!version) {
      drop('version_folded', body.events.length);
      return { accepted: 0, dropped: tally };
    }
    version.touch();
    if (folded) drop('version_folded', body.events.length);
    if (model.task) version.ensureTaskWindows(model.task);
    // Advancing to `now` is the passage of time, not an effect of the batch; the windows save
    // what it expires all the same, so a rollback restores them exactly.
    version.advance(now);
    version.lastSeen = now;
    version.revision++;
    this.join.expire(model, now, drop);
    this.join.expirePending(model, now, drop);
    const duplicateIds: string[] = [];
    for (const e of body.events) {
      if (this.applyEvent(model, version, e, now, drop)) continue;
      if (duplicateIds.length < LISTED_DUPLICATES) duplicateIds.push(String(e.id));
    }
    if (model.task === 'classification') for (const v of model.versions.values()) v.reserveClasses(model.classes.size);
    const accepted = body.events.length - (tally.duplicate_id ?? 0) - (tally.duplicate_id_conflict ?? 0);
    return {
      accepted,
      dropped: tally,
      ...(duplicateIds.length ? { duplicateIds } : {}),
      ...(foldedNames.size ? { foldedClasses: [...foldedNames] } : {}),
    };
  }

  /**
   * Runs one batch's apply as a transaction (windows/txn.ts). On success the drops it tallied
   * are added to `dropped`; on a throw everything it touched is restored, the failure is counted
   * and a BatchNotAppliedError carries the cause to the caller. With `keep`, `keep.undo` writes
   * the applied batch back later, drops included (see undoableTransaction).
   */
  private atomically<T>(endpoint: keyof Monitor['applyFailures'], tally: DropTally, f: () => T, keep?: { undo?: () => void }): T {
    let result: T;
    const run = () => {
      this.join.touch();
      return f();
    };
    try {
      if (keep) {
        const done = undoableTransaction(run);
        result = done.result;
        const added = this.rebuilding ? {} : { ...tally };
        keep.undo = () => {
          done.undo();
          for (const [reason, n] of Object.entries(added)) {
            const counts = this.dropped.counts;
            counts.set(reason as DropReason, (counts.get(reason as DropReason) ?? 0) - n);
          }
        };
      } else result = transaction(run);
    } catch (err) {
      for (const k of Object.keys(tally)) delete tally[k as DropReason];
      if (!this.rebuilding) this.applyFailures[endpoint]++;
      throw new BatchNotAppliedError(endpoint, err);
    }
    this.countDrops(tally);
    return result;
  }

  /**
   * Applies one event; false when it repeats a known prediction id and is not counted again (a
   * retry with the same prediction only adds its label, if it brings one and none joined yet).
   */
  private applyEvent(model: ModelState, v: VersionState, e: PredictionEvent, now: number, drop: Drop): boolean {
    const id = String(e.id);
    const repeat = isFailedEvent(e) ? 'new' : this.join.repeatOf(model, v, id, e);
    if (repeat !== 'new') {
      drop(repeat === 'conflict' ? 'duplicate_id_conflict' : 'duplicate_id');
      if (repeat === 'same' && e.label !== undefined) this.join.joinPending(model, id, e.label, now, drop);
      return false;
    }
    v.predictions++;
    if (e.latency_ms !== undefined) v.observeLatency(e.latency_ms);
    if (isFailedEvent(e)) {
      const { reason, folded } = model.errorReason(e.error);
      if (folded) drop('error_reason_folded');
      v.errors.set(reason, (v.errors.get(reason) ?? 0) + 1);
      return true;
    }
    const t = eventTime(e.timestamp, now, this.clock.offsetMs);
    const counted = v.windowPredictions.bucketAt(t);
    if (counted) {
      counted.add();
      v.windowPredictions.total.add();
    } else drop('outside_window');
    if (counted) this.observeFeatures(v, t, e.features, drop);
    const prediction = e.prediction as number | string;
    if (counted && v.predictionTracker) {
      const pt = v.predictionTracker;
      const value = pt.kind === 'categorical' ? String(prediction) : typeof prediction === 'number' ? prediction : undefined;
      if (value !== undefined && observe(pt, t, value) === 'folded') drop('category_folded');
    }
    if (counted && v.estimate && model.task === 'classification') observeEstimate(v.estimate, t, e);
    const pending = this.join.pendingFor(model, v, e, drop);
    if (!pending) return true;
    pending.at = t;
    if (e.label !== undefined) {
      this.join.applyLabel(model, pending, e.label, t, drop);
      this.join.labelledInline(model, id, v, drop);
      return true;
    }
    this.join.arrive(model, id, pending, now, drop);
    return true;
  }

  private observeFeatures(v: VersionState, t: number, features: Record<string, number | string | null>, drop: Drop): void {
    if (v.trackers.length === 0) return;
    const stamp = ++this.stamp;
    for (const name in features) {
      const tracker = v.trackerByName.get(name);
      if (!tracker) {
        v.unknownFeature++;
        continue;
      }
      tracker.stamp = stamp;
      const r = observe(tracker, t, features[name]);
      if (r === 'wrong_type') v.wrongType++;
      else if (r === 'folded') drop('category_folded');
    }
    for (const tracker of v.trackers) if (tracker.stamp !== stamp) observe(tracker, t, undefined);
  }

  /**
   * Problems that need model state (wrong label type, a label outside an inferred binary pair, a
   * third class for a model with a positive class — its own or the registry's, `registeredPositive`).
   * A model with no state yet is no problem: its labels are held for its first prediction
   * (LabelJoin.holdForUnknown), so `unknownModel` is always false.
   */
  checkFeedback(body: FeedbackBody, registeredPositive?: string): { unknownModel: boolean; problems: FieldProblem[] } {
    const model = this.models.get(body.model);
    if (!model) return { unknownModel: false, problems: [] };
    const problems: FieldProblem[] = [];
    if (model.task === 'regression') {
      body.events.forEach((e, i) => {
        if (typeof e.label !== 'number')
          problems.push({
            path: `events[${i}].label`,
            message: `a regression model needs a numeric label, not ${JSON.stringify(e.label)} (${taskOrigin(model.name, 'regression')})`,
          });
      });
    } else {
      problems.push(...feedbackArityProblems(model, body, registeredPositive));
      if (problems.length) return { unknownModel: false, problems: problems.slice(0, 1000) };
      problems.push(
        ...inferredLabelProblems(
          model,
          body.events.map((e) => e.label),
        ),
      );
    }
    return { unknownModel: false, problems: problems.slice(0, 1000) };
  }

  /** Applies a batch checkFeedback accepted; all or nothing (see the class comment). */
  applyFeedback(body: FeedbackBody): IngestResult {
    const tally: DropTally = {};
    const folded = new Set<string>();
    const result = this.atomically('feedback', tally, () => {
      const now = this.now();
      const model = this.models.get(body.model);
      if (!model) return this.join.holdForUnknown(body.model, body.events, now, tallyInto(tally));
      model.touch();
      return this.join.joinFeedback(model, body.events, now, tallyInto(tally, folded));
    });
    if (!result) return { accepted: 0, joined: 0, held: 0, dropped: tally };
    this.countIngested('feedback', body.events.length);
    return { accepted: result.joined + result.held, ...result, dropped: tally, ...(folded.size ? { foldedClasses: [...folded] } : {}) };
  }

  /** Sets a model's KPIs, within MODELWATCH_MAX_KPIS_PER_MODEL; undefined for an unknown model. All or nothing. */
  applyKpis(body: KpisBody): IngestResult | undefined {
    const tally: DropTally = {};
    const accepted = this.atomically('kpis', tally, () => {
      const model = this.models.get(body.model);
      if (!model) return undefined;
      model.touch();
      let n = 0;
      for (const [name, value] of Object.entries(body.kpis)) {
        if (model.kpis.has(name) || model.kpis.size < this.config.limits.maxKpisPerModel) {
          model.kpis.set(name, value);
          n++;
        } else tally.kpi_limit = (tally.kpi_limit ?? 0) + 1;
      }
      return n;
    });
    if (accepted === undefined) return undefined;
    this.countIngested('kpis', accepted);
    return { accepted, dropped: tally };
  }

  hasModel(name: string): boolean {
    return this.models.has(name);
  }

  /** Whether a reference for this model/version can be tracked now (limits), without changing anything. */
  canTrackReference(modelName: string, versionName: string): { ok: true } | { ok: false; reason: string } {
    return this.lifecycle.canTrack(modelName, versionName, this.now());
  }

  /**
   * Problems a reference upload has with the model's state (issue 11 §2): a positive class the
   * profile states (or infers from its labels) that differs from the registry's entry
   * (`registeredPositive`) or from the one the model already settled on is a 400 naming
   * `positive_class` and both sources — the rule predictions follow (binary-positive.ts); a
   * multiclass calibration giving a model with a positive class a third class is a 400 naming
   * `scores` (class-arity.ts).
   */
  checkReference(modelName: string, profile: ReferenceProfile, registeredPositive?: string): FieldProblem[] {
    const model = this.models.get(modelName);
    if (profile.positiveClass !== undefined) {
      const { problem } = agreedPositiveClass(
        modelName,
        positiveSources(['this reference', profile.positiveClass], model?.positiveClass, registeredPositive),
      );
      if (problem) return [problem];
    }
    const [name, where] =
      profile.positiveClass !== undefined
        ? [profile.positiveClass, 'this reference']
        : model?.positiveClass !== undefined
          ? [model.positiveClass, 'stated or inferred earlier']
          : [undefined, ''];
    const cal = profile.calibration;
    const arity = referenceArityProblem(
      model,
      modelName,
      { name, where },
      cal?.kind === 'multiclass' ? cal.classes : undefined,
      registeredPositive,
    );
    return arity ? [arity] : [];
  }

  /**
   * Why the model registry may not state `positive` as the model's positive class, from what this
   * exporter has seen of the model (its task, its classes): class-arity.ts registryPositiveProblem.
   */
  registryPositiveProblem(modelName: string, positive: string): FieldProblem | undefined {
    return registryPositiveProblem(this.models.get(modelName), modelName, positive);
  }

  /** The positive class the model settled on (stated or inferred by an earlier batch or reference), if any. */
  positiveClassOf(modelName: string): string | undefined {
    return this.models.get(modelName)?.positiveClass;
  }

  taskOf(modelName: string): Task | undefined {
    return this.models.get(modelName)?.task;
  }

  /**
   * Installs a (validated) reference; drift windows for that version restart empty. All or
   * nothing (see the class comment). Returns `undo`, which writes back what it changed, for a
   * caller whose store commit of the profile fails after this apply (see undoableTransaction:
   * exact only until something else changes the model).
   */
  applyReference(modelName: string, versionName: string, profile: ReferenceProfile): () => void {
    const tally: DropTally = {};
    const keep: { undo?: () => void } = {};
    this.atomically('reference', tally, () => this.installReference(modelName, versionName, profile, tally), keep);
    const undo = keep.undo!;
    return () => {
      const model = this.models.get(modelName);
      const seen = model && { changes: model.changes, versions: [...model.versions.values()].map((v) => [v, v.revision] as const) };
      undo();
      // Past every value seen while the reference was in: a render cache or checkpoint taken
      // meanwhile keys on them, and must not take the restored state for the one it saw.
      if (!model || !seen) return;
      model.changes = Math.max(model.changes, seen.changes) + 1;
      for (const [v, revision] of seen.versions) v.revision = Math.max(v.revision, revision) + 1;
    };
  }

  private installReference(modelName: string, versionName: string, profile: ReferenceProfile, tally: DropTally): void {
    this.lifecycle.setProfile(modelName, versionName, profile);
    if (profile.droppedFeatures.length) tally.feature_limit = profile.droppedFeatures.length;
    const model = this.lifecycle.modelFor(modelName);
    if (!model) {
      tally.model_limit = 1;
      return;
    }
    model.touch();
    this.join.adopt(model);
    if (profile.task) model.task ??= profile.task;
    if (profile.positiveClass !== undefined) model.setPositiveClass(profile.positiveClass);
    const now = this.now();
    const existing = model.versions.get(versionName);
    if (existing) {
      existing.setReference(profile);
      existing.advance(now);
      return;
    }
    const { version, folded } = this.lifecycle.versionFor(model, versionName, now);
    if (version && !folded) version.advance(now);
  }

  // Restoring snapshots (src/durable): the same creation paths and bounds as ingest.

  /** The model's state, created as ingest would; undefined beyond MODELWATCH_MAX_MODELS. */
  restoreModel(name: string): ModelState | undefined {
    return this.lifecycle.modelFor(name);
  }

  /** The version's state, created as ingest would (reference applied); undefined when it would fold. */
  restoreVersion(model: ModelState, name: string): VersionState | undefined {
    const { version, folded } = this.lifecycle.versionFor(model, name, this.now());
    return folded ? undefined : version;
  }

  /** Forgets a model's state (to replace it with a fresher snapshot); its references stay. */
  forgetModel(name: string): void {
    const model = this.models.get(name);
    if (!model) return;
    this.join.forget(model);
    this.models.delete(name);
  }

  /** Counts pending predictions, held labels and recent ids added to a model's maps by a restore. */
  countRestored(n: { pending: number; held: number; recent: number }, model?: ModelState): void {
    this.join.countRestored(n, model);
  }
}

/**
 * A Drop that counts into the batch's tally (added to the process-wide counter once the batch
 * succeeded), and collects the first LISTED_FOLDED folded class names into `folded`.
 */
function tallyInto(tally: DropTally, folded?: Set<string>): Drop {
  return (reason, n = 1, name) => {
    tally[reason] = (tally[reason] ?? 0) + n;
    if (folded && name !== undefined && reason === 'class_folded' && folded.size < LISTED_FOLDED) folded.add(name);
  };
}
