import type { Config } from '../config/config.js';
import type { FieldProblem } from '../errors.js';
import { OTHER } from './bounded-names.js';
import { DropCounter, type DropReason, type DropTally } from './drop-reasons.js';
import { ModelState, type PendingPrediction } from './model-state.js';
import type { ReferenceProfile, Task } from './reference-profile.js';
import type { FeedbackBody, KpisBody, PredictionEvent, PredictionsBody } from './schemas.js';
import { observeEstimate } from './estimate-tracker.js';
import { observe, VersionState, type WindowGeometry } from './version-state.js';

export interface IngestResult {
  accepted: number;
  dropped: DropTally;
}

/**
 * In-memory monitoring state for the fleet: what ingest writes and the collectors read.
 * Callers validate first (schemas, then `check*`), so `apply*` never fails half-way: a
 * rejected batch changes nothing. Time comes from `now` so tests can simulate it.
 */
export class Monitor {
  readonly models = new Map<string, ModelState>();
  readonly dropped = new DropCounter();
  readonly ingested = { predictions: 0, feedback: 0, kpis: 0 };
  /** Reference profiles by model and version, including versions not currently tracked. */
  private readonly profiles = new Map<string, Map<string, ReferenceProfile>>();
  private pendingTotal = 0;
  private readonly geometry: WindowGeometry;
  private readonly windowMs: number;
  private stamp = 0;

  constructor(
    private readonly config: Config,
    readonly now: () => number,
  ) {
    this.windowMs = config.windowSeconds * 1000;
    this.geometry = {
      fineMs: config.windowResolutionSeconds * 1000,
      fineBuckets: config.windowSeconds / config.windowResolutionSeconds,
      coarseMs: config.sketchResolutionSeconds * 1000,
      coarseBuckets: config.windowSeconds / config.sketchResolutionSeconds,
      maxCategories: config.limits.maxCategoriesPerFeature,
    };
  }

  get pendingCount(): number {
    return this.pendingTotal;
  }

  /** Semantic checks that need model state (task consistency); [] when the batch may be applied. */
  checkPredictions(body: PredictionsBody): FieldProblem[] {
    const model = this.models.get(body.model);
    const existing = model?.task;
    if (existing && body.task && body.task !== existing) {
      return [{ path: 'task', message: `model ${body.model} is a ${existing} model` }];
    }
    const task = existing ?? body.task ?? inferTask(body.events);
    if (task !== 'regression') return [];
    const problems: FieldProblem[] = [];
    body.events.forEach((e, i) => {
      if (e.prediction !== undefined && typeof e.prediction !== 'number')
        problems.push({ path: `events[${i}].prediction`, message: 'a regression model needs a numeric prediction' });
      if (e.label !== undefined && typeof e.label !== 'number')
        problems.push({ path: `events[${i}].label`, message: 'a regression model needs a numeric label' });
      if (e.score !== undefined || e.scores !== undefined)
        problems.push({
          path: `events[${i}].${e.score !== undefined ? 'score' : 'scores'}`,
          message: 'scores apply to classification models only',
        });
    });
    return problems.slice(0, 1000);
  }

  applyPredictions(body: PredictionsBody): IngestResult {
    const now = this.now();
    const tally: DropTally = {};
    const drop = (reason: DropReason, n = 1) => {
      this.dropped.add(reason, n);
      tally[reason] = (tally[reason] ?? 0) + n;
    };
    const model = this.modelFor(body.model);
    if (!model) {
      drop('model_limit', body.events.length);
      return { accepted: 0, dropped: tally };
    }
    model.task ??= body.task ?? inferTask(body.events);
    const { version, folded } = this.versionFor(model, body.version, now);
    if (!version) {
      drop('version_folded', body.events.length);
      return { accepted: 0, dropped: tally };
    }
    if (folded) drop('version_folded', body.events.length);
    if (model.task) version.ensureTaskWindows(model.task);
    version.advance(now);
    version.lastSeen = now;
    version.revision++;
    for (const e of body.events) this.applyEvent(model, version, e, now, drop);
    if (model.task === 'classification') for (const v of model.versions.values()) v.reserveClasses(model.classes.size);
    this.ingested.predictions += body.events.length;
    return { accepted: body.events.length, dropped: tally };
  }

  private applyEvent(model: ModelState, v: VersionState, e: PredictionEvent, now: number, drop: (r: DropReason, n?: number) => void): void {
    v.predictions++;
    if (e.latency_ms !== undefined) v.observeLatency(e.latency_ms);
    if (e.error !== undefined && e.error !== false) {
      const { reason, folded } = model.errorReason(e.error);
      if (folded) drop('error_reason_folded');
      v.errors.set(reason, (v.errors.get(reason) ?? 0) + 1);
      return;
    }
    const t = eventTime(e.timestamp, now);
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
    const pending = this.pendingFor(model, v, e, drop);
    if (!pending) return;
    pending.at = t;
    if (e.label !== undefined) {
      this.applyLabel(model, pending, e.label, t, drop);
      return;
    }
    this.addPending(model, String(e.id), pending, drop);
  }

  private observeFeatures(
    v: VersionState,
    t: number,
    features: Record<string, number | string | null>,
    drop: (r: DropReason, n?: number) => void,
  ): void {
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

  /** What is needed to score the prediction once its label is known. */
  private pendingFor(
    model: ModelState,
    v: VersionState,
    e: PredictionEvent,
    drop: (r: DropReason, n?: number) => void,
  ): PendingPrediction | undefined {
    const prediction = e.prediction as number | string;
    if (model.task === 'regression') {
      return typeof prediction === 'number' ? { version: v, pred: prediction } : undefined;
    }
    const predName = String(prediction);
    const cls = model.classes.indexOf(predName);
    if (cls.folded) drop('class_folded');
    const p: PendingPrediction = { version: v, pred: cls.index, predName };
    if (e.score !== undefined) {
      model.positiveIndex();
      p.score = e.score;
    } else if (e.scores !== undefined) {
      const indexed: Array<[number, number]> = [];
      for (const c in e.scores) {
        const ci = model.classes.indexOf(c);
        if (ci.folded) drop('class_folded');
        indexed.push([ci.index, e.scores[c]]);
      }
      const probs = new Float64Array(model.classes.size);
      // Folded classes share __other__; clamp in case the client's scores do not sum to 1.
      for (const [i, q] of indexed) probs[i] = Math.min(1, probs[i] + q);
      p.probs = probs;
    }
    return p;
  }

  private addPending(model: ModelState, id: string, p: PendingPrediction, drop: (r: DropReason, n?: number) => void): void {
    const existing = model.pending.get(id);
    if (existing) {
      model.pending.delete(id);
      this.pendingTotal--;
      if (existing.at !== undefined) existing.version.labelTracking.pending.remove(existing.at);
      existing.version.revision++;
    }
    while (
      model.pending.size > 0 &&
      (model.pending.size >= this.config.pendingPredictionsPerModel || this.pendingTotal >= this.config.pendingPredictionsTotal)
    ) {
      const oldestId = model.pending.keys().next().value as string;
      const oldest = model.pending.get(oldestId)!;
      if (oldest.at !== undefined) oldest.version.labelTracking.pending.remove(oldest.at);
      oldest.version.revision++;
      model.pending.delete(oldestId);
      this.pendingTotal--;
      drop('pending_evicted');
    }
    if (this.pendingTotal >= this.config.pendingPredictionsTotal) {
      drop('pending_evicted');
      return;
    }
    model.pending.set(id, p);
    this.pendingTotal++;
    if (p.at !== undefined) p.version.labelTracking.pending.add(p.at);
  }

  /** Records a label against a prediction at time `t` (label arrival, or the event's own time). */
  private applyLabel(
    model: ModelState,
    p: PendingPrediction,
    label: number | string,
    t: number,
    drop: (r: DropReason, n?: number) => void,
  ): void {
    const v = p.version;
    v.revision++;
    v.labeled++;
    if (p.at !== undefined) v.labelTracking.observeLabel(p.at, t);
    if (model.task === 'regression') {
      if (typeof label !== 'number' || !v.regression) return;
      const b = v.regression.bucketAt(t);
      if (!b) return;
      b.add(label, p.pred);
      v.regression.total.add(label, p.pred);
      return;
    }
    const name = String(label);
    if (name === p.predName) v.correct++;
    const cls = model.classes.indexOf(name);
    if (cls.folded) drop('class_folded');
    if (!v.classification || !v.probabilities) return;
    const b = v.classification.bucketAt(t);
    if (b) {
      b.add(cls.index, p.pred);
      v.classification.total.add(cls.index, p.pred);
    }
    const probs = model.probabilitiesFor(p);
    const pb = probs ? v.probabilities.bucketAt(t) : undefined;
    if (probs && pb) {
      pb.add(cls.index, p.pred, probs);
      v.probabilities.total.add(cls.index, p.pred, probs);
    }
  }

  /** Problems that need model state: unknown model (404 by the caller), wrong label type. */
  checkFeedback(body: FeedbackBody): { unknownModel: boolean; problems: FieldProblem[] } {
    const model = this.models.get(body.model);
    if (!model) return { unknownModel: true, problems: [] };
    const problems: FieldProblem[] = [];
    if (model.task === 'regression') {
      body.events.forEach((e, i) => {
        if (typeof e.label !== 'number') problems.push({ path: `events[${i}].label`, message: 'a regression model needs a numeric label' });
      });
    }
    return { unknownModel: false, problems: problems.slice(0, 1000) };
  }

  applyFeedback(body: FeedbackBody): IngestResult {
    const now = this.now();
    const model = this.models.get(body.model);
    const tally: DropTally = {};
    if (!model) return { accepted: 0, dropped: tally };
    const drop = (reason: DropReason, n = 1) => {
      this.dropped.add(reason, n);
      tally[reason] = (tally[reason] ?? 0) + n;
    };
    for (const v of model.versions.values()) v.advance(now);
    // Joined predictions leave the map at once, so its size tracks the labelling delay rather
    // than the traffic; a second label for the same id is a duplicate within this batch, and
    // "unknown_prediction" in a later one.
    const joined = new Map<string, VersionState>();
    for (const e of body.events) {
      const id = String(e.id);
      const done = joined.get(id);
      if (done) {
        done.revision++;
        done.feedbackDuplicate++;
        continue;
      }
      const p = model.pending.get(id);
      if (!p) {
        model.feedbackUnknown++;
        continue;
      }
      model.pending.delete(id);
      this.pendingTotal--;
      if (p.at !== undefined) p.version.labelTracking.pending.remove(p.at);
      joined.set(id, p.version);
      p.version.advance(now);
      this.applyLabel(model, p, e.label, now, drop);
      p.version.feedbackJoined++;
    }
    this.ingested.feedback += body.events.length;
    return { accepted: body.events.length, dropped: tally };
  }

  applyKpis(body: KpisBody): IngestResult | undefined {
    const model = this.models.get(body.model);
    if (!model) return undefined;
    const tally: DropTally = {};
    let accepted = 0;
    for (const [name, value] of Object.entries(body.kpis)) {
      if (model.kpis.has(name) || model.kpis.size < this.config.limits.maxKpisPerModel) {
        model.kpis.set(name, value);
        accepted++;
      } else {
        this.dropped.add('kpi_limit');
        tally.kpi_limit = (tally.kpi_limit ?? 0) + 1;
      }
    }
    this.ingested.kpis += accepted;
    return { accepted, dropped: tally };
  }

  hasModel(name: string): boolean {
    return this.models.has(name);
  }

  /** Whether a reference for this model/version can be tracked now (limits), without changing anything. */
  canTrackReference(modelName: string, versionName: string): { ok: true } | { ok: false; reason: string } {
    const model = this.models.get(modelName);
    if (!model) {
      return this.models.size < this.config.limits.maxModels
        ? { ok: true }
        : { ok: false, reason: `model limit reached (MODELWATCH_MAX_MODELS=${this.config.limits.maxModels})` };
    }
    if (
      model.versions.has(versionName) ||
      model.versions.size < this.config.limits.maxVersionsPerModel ||
      this.idleVersion(model, this.now())
    )
      return { ok: true };
    return {
      ok: false,
      reason: `version limit reached for model ${modelName} (MODELWATCH_MAX_VERSIONS_PER_MODEL=${this.config.limits.maxVersionsPerModel}) and no version is idle`,
    };
  }

  taskOf(modelName: string): Task | undefined {
    return this.models.get(modelName)?.task;
  }

  /** Installs a (validated, persisted) reference; drift windows for that version restart empty. */
  applyReference(modelName: string, versionName: string, profile: ReferenceProfile): void {
    let byVersion = this.profiles.get(modelName);
    if (!byVersion) this.profiles.set(modelName, (byVersion = new Map()));
    byVersion.set(versionName, profile);
    if (profile.droppedFeatures.length) this.dropped.add('feature_limit', profile.droppedFeatures.length);
    const model = this.modelFor(modelName);
    if (!model) {
      this.dropped.add('model_limit');
      return;
    }
    if (profile.task) model.task ??= profile.task;
    if (profile.positiveClass !== undefined) model.positiveClass = profile.positiveClass;
    const now = this.now();
    const existing = model.versions.get(versionName);
    if (existing) {
      existing.setReference(profile);
      existing.advance(now);
      return;
    }
    const { version, folded } = this.versionFor(model, versionName, now);
    if (version && !folded) version.advance(now);
  }

  // Restoring snapshots (src/durable): the same creation paths and bounds as ingest.

  /** The model's state, created as ingest would; undefined beyond MODELWATCH_MAX_MODELS. */
  restoreModel(name: string): ModelState | undefined {
    return this.modelFor(name);
  }

  /** The version's state, created as ingest would (reference applied); undefined when it would fold. */
  restoreVersion(model: ModelState, name: string): VersionState | undefined {
    const { version, folded } = this.versionFor(model, name, this.now());
    return folded ? undefined : version;
  }

  /** Forgets a model's state (to replace it with a fresher snapshot); its references stay. */
  forgetModel(name: string): void {
    const model = this.models.get(name);
    if (!model) return;
    this.pendingTotal -= model.pending.size;
    this.models.delete(name);
  }

  /** Counts pending predictions added to a model's map by a restore. */
  countRestoredPending(n: number): void {
    this.pendingTotal += n;
  }

  private modelFor(name: string): ModelState | undefined {
    let model = this.models.get(name);
    if (model) return model;
    if (this.models.size >= this.config.limits.maxModels) return undefined;
    const l = this.config.limits;
    model = new ModelState(name, {
      maxVersions: l.maxVersionsPerModel,
      maxClasses: l.maxClassesPerModel,
      maxKpis: l.maxKpisPerModel,
      maxErrorReasons: this.config.maxErrorReasonsPerModel,
      maxLabelValueLength: l.maxLabelValueLength,
    });
    this.models.set(name, model);
    return model;
  }

  /**
   * The version's state, created on first sight. Beyond the per-model bound, the least recently
   * seen version that has been idle for a whole window is evicted to make room (its series end);
   * if none is idle, events are counted under version `__other__`.
   */
  private versionFor(model: ModelState, name: string, now: number): { version?: VersionState; folded: boolean } {
    const known = model.versions.get(name);
    if (known) return { version: known, folded: false };
    const tracked = [...model.versions.keys()].filter((k) => k !== OTHER).length;
    if (tracked >= this.config.limits.maxVersionsPerModel) {
      const idle = this.idleVersion(model, now);
      if (!idle) return { version: this.otherVersion(model), folded: true };
      model.versions.delete(idle.name);
    }
    const v = new VersionState(name, model.label, this.geometry);
    v.lastSeen = now;
    if (model.task) v.ensureTaskWindows(model.task);
    const profile = this.profiles.get(model.name)?.get(name);
    if (profile) v.setReference(profile);
    model.versions.set(name, v);
    return { version: v, folded: false };
  }

  private otherVersion(model: ModelState): VersionState {
    let v = model.versions.get(OTHER);
    if (!v) {
      v = new VersionState(OTHER, model.label, this.geometry);
      if (model.task) v.ensureTaskWindows(model.task);
      model.versions.set(OTHER, v);
    }
    return v;
  }

  private idleVersion(model: ModelState, now: number): VersionState | undefined {
    let oldest: VersionState | undefined;
    for (const v of model.versions.values()) {
      if (v.name === OTHER || v.lastSeen > now - this.windowMs) continue;
      if (!oldest || v.lastSeen < oldest.lastSeen) oldest = v;
    }
    return oldest;
  }
}

/**
 * Task inferred from a model's first batch (see README): scores, or any string prediction or
 * label, mean classification; numeric predictions without scores mean regression. A batch
 * where every event failed decides nothing. Send `task` to override.
 */
export function inferTask(events: readonly PredictionEvent[]): Task | undefined {
  let sawNumeric = false;
  for (const e of events) {
    if (e.score !== undefined || e.scores !== undefined) return 'classification';
    if (typeof e.prediction === 'string' || typeof e.label === 'string') return 'classification';
    if (typeof e.prediction === 'number') sawNumeric = true;
  }
  return sawNumeric ? 'regression' : undefined;
}

/** Event time in ms: ISO-8601 or Unix seconds; arrival time when absent. */
function eventTime(ts: string | number | undefined, now: number): number {
  if (ts === undefined) return now;
  const t = typeof ts === 'number' ? ts * 1000 : Date.parse(ts);
  return Number.isFinite(t) ? Math.min(t, now) : now;
}
