import type { Config } from '../config/config.js';
import type { Drop } from './drop-reasons.js';
import type { HeldLabel, ModelState, PendingPrediction } from './model-state.js';
import type { FeedbackBody, PredictionEvent } from './schemas.js';
import type { RecentIds } from './recent-ids.js';
import type { VersionState } from './version-state.js';
import { activeTxn } from '../windows/txn.js';

/** What a repeated prediction id is (see `repeatOf`). */
export type Repeat = 'new' | 'same' | 'conflict' | 'labelled';

/** How a `/feedback` batch's labels went: joined to their prediction, or held waiting for it. */
export interface FeedbackCounts {
  joined: number;
  held: number;
}

type JoinBounds = Pick<
  Config,
  'pendingPredictionsPerModel' | 'pendingPredictionsTotal' | 'pendingPredictionTtlMs' | 'heldLabels' | 'recentIds'
> & {
  limits: Pick<Config['limits'], 'maxModels'>;
};

/**
 * The join of labels to predictions by id, in either order:
 * - a prediction waits for its label in the model's pending map (bounded per model and in
 *   total, oldest evicted first), for at most MODELWATCH_PENDING_PREDICTION_SECONDS: without a
 *   limit in time, a prediction whose label is lost (or a model whose labels stopped coming)
 *   waits until the count bound pushes it out — memory held and label coverage understated for
 *   as long as traffic takes to fill the bound, which for a quiet model is never;
 * - a label that arrives first is held (bounded the same way, and for at most
 *   MODELWATCH_HELD_LABEL_SECONDS) and joins when its prediction comes; one that never finds it
 *   counts as `unknown_prediction`;
 * - ids whose label joined are remembered (bounded), so a repeated prediction id is a duplicate
 *   after its label too, not only while pending.
 * A label is scored into its version's quality windows at the time it joins.
 */
export class LabelJoin {
  private pendingTotal = 0;
  private heldTotal = 0;
  private recentTotal = 0;
  /**
   * One entry per remembered id over all models, oldest first (from `fleetStart`): the model's
   * table it went to. Beyond MODELWATCH_RECENT_IDS_TOTAL the fleet's oldest id is forgotten, not
   * the adding model's (which would leave a model with no memory once others filled the total).
   * Slots are never overwritten and compaction builds a new array, so a rollback only has to put
   * back the array, its length and the start.
   */
  private fleet: RecentIds[] = [];
  private fleetStart = 0;
  /**
   * Labels for models that have sent no prediction (nor reference) yet, by model name, oldest
   * first: held within the same bounds as a model's (they count in the held total), for at most
   * MODELWATCH_MAX_MODELS names, with no model state and no series until the model's first batch
   * adopts them (`adopt`). Kept in memory: not in snapshots (see README).
   */
  private readonly orphans = new Map<string, Map<string, HeldLabel>>();

  constructor(private readonly config: JoinBounds) {}

  /** Inside an ingest transaction (windows/txn.ts), saves the totals once, to restore them on rollback. */
  touch(): void {
    const txn = activeTxn();
    if (txn === undefined) return;
    const { pendingTotal, heldTotal, recentTotal, fleet, fleetStart } = this;
    const fleetLength = fleet.length;
    txn.onRollback(() => {
      this.pendingTotal = pendingTotal;
      this.heldTotal = heldTotal;
      this.recentTotal = recentTotal;
      fleet.length = fleetLength;
      this.fleet = fleet;
      this.fleetStart = fleetStart;
    });
  }

  /** Predictions waiting for their labels, over all models. */
  get pendingCount(): number {
    return this.pendingTotal;
  }

  /** Labels waiting for their predictions, over all models. */
  get heldCount(): number {
    return this.heldTotal;
  }

  /**
   * Whether prediction `id` of version `v` was seen before: `labelled` (its label joined),
   * `same` (pending, same version, prediction and scores: a retry), `conflict` (pending with
   * another version, prediction or scores), or `new`.
   */
  repeatOf(model: ModelState, v: VersionState, id: string, e: PredictionEvent): Repeat {
    if (model.recent.has(id)) return 'labelled';
    if (!model.pending.has(id)) return 'new';
    const p = model.pending.get(id)!;
    return p.version === v && samePrediction(model, p, e) ? 'same' : 'conflict';
  }

  /** What is needed to score the prediction once its label is known. */
  pendingFor(model: ModelState, v: VersionState, e: PredictionEvent, drop: Drop): PendingPrediction | undefined {
    const prediction = e.prediction as number | string;
    if (model.task === 'regression') {
      return typeof prediction === 'number' ? { version: v, pred: prediction } : undefined;
    }
    const predName = String(prediction);
    const cls = model.classes.indexOf(predName);
    if (cls.folded) drop('class_folded', 1, predName);
    const p: PendingPrediction = { version: v, pred: cls.index, predName };
    if (e.score !== undefined) {
      model.positiveIndex();
      p.score = e.score;
    } else if (e.scores !== undefined) {
      const indexed: Array<[number, number]> = [];
      for (const c in e.scores) {
        const ci = model.classes.indexOf(c);
        if (ci.folded) {
          drop('class_folded', 1, c);
          (p.foldedScores ??= []).push([c, e.scores[c]]);
        }
        indexed.push([ci.index, e.scores[c]]);
      }
      const probs = new Float64Array(model.classes.size);
      // Folded classes share __other__; clamp in case the client's scores do not sum to 1.
      for (const [i, q] of indexed) probs[i] = Math.min(1, probs[i] + q);
      p.probs = probs;
    }
    return p;
  }

  /**
   * A new prediction without an inline label: joins the label held for it, if one came first
   * (scored at `now`), else waits for it. Returns whether a held label joined.
   */
  arrive(model: ModelState, id: string, p: PendingPrediction, now: number, drop: Drop): boolean {
    p.arrived = now;
    const held = model.held.get(id);
    if (held) {
      model.touchHeld();
      model.held.delete(id);
      this.heldTotal--;
      if (model.task === 'regression' && typeof held.label !== 'number') {
        // Held before the model's task was known (a /feedback label for a known regression model
        // is a 400): a class name cannot score a regression prediction, which waits for a number.
        drop('label_not_numeric');
        this.hold(model, id, p, drop);
        return false;
      }
      this.applyLabel(model, p, held.label, now, drop);
      p.version.feedbackJoined++;
      this.remember(model, id, p.version);
      return true;
    }
    this.hold(model, id, p, drop);
    return false;
  }

  /** A new prediction that carried its label: any label held for it is a duplicate. */
  labelledInline(model: ModelState, id: string, v: VersionState, drop: Drop): void {
    if (model.held.has(id)) {
      model.touchHeld();
      v.touch();
      model.held.delete(id);
      this.heldTotal--;
      v.feedbackDuplicate++;
      drop('duplicate_label');
    }
    this.remember(model, id, v);
  }

  /** Keeps a prediction until its label comes, evicting the oldest beyond the bounds. */
  private hold(model: ModelState, id: string, p: PendingPrediction, drop: Drop): void {
    while (
      model.pending.size > 0 &&
      (model.pending.size >= this.config.pendingPredictionsPerModel || this.pendingTotal >= this.config.pendingPredictionsTotal)
    ) {
      this.removeOldest(model);
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

  /**
   * Drops the model's predictions that have waited longer than MODELWATCH_PENDING_PREDICTION_SECONDS
   * (window time, so a wall clock stepped back does not keep them longer). They are in arrival
   * order, so this stops at the first one still in time. Their ids are remembered as expired (with
   * the joined ids' bounds), so that a label that comes later is dropped as `prediction_expired`
   * rather than held for a prediction that will not come.
   */
  expirePending(model: ModelState, now: number, drop: Drop): void {
    const cutoff = now - this.config.pendingPredictionTtlMs;
    for (;;) {
      const arrived = model.pending.oldestArrival();
      if (arrived === undefined || arrived > cutoff) return;
      const [oldestId, oldest] = this.removeOldest(model);
      drop('pending_expired');
      this.remember(model, oldestId, oldest.version, true);
    }
  }

  /** Removes the model's oldest pending prediction (there must be one); returns its id and it. */
  private removeOldest(model: ModelState): [string, PendingPrediction] {
    const oldestId = model.pending.keys().next().value as string;
    const oldest = model.pending.get(oldestId)!;
    oldest.version.touch();
    if (oldest.at !== undefined) oldest.version.labelTracking.pending.remove(oldest.at);
    oldest.version.revision++;
    model.pending.delete(oldestId);
    this.pendingTotal--;
    return [oldestId, oldest];
  }

  /** Records a label against a prediction at time `t` (label arrival, or the event's own time). */
  applyLabel(model: ModelState, p: PendingPrediction, label: number | string, t: number, drop: Drop): void {
    const v = p.version;
    v.touch();
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
    if (cls.folded) drop('class_folded', 1, name);
    if (!v.classification || !v.probabilities) return;
    // Right or wrong is decided on the exact names: two classes folded into one index are apart.
    const exact = {
      apart: cls.index === p.pred && name !== p.predName,
      trueProbability: cls.folded && p.probs ? (p.foldedScores?.find((f) => f[0] === name)?.[1] ?? 0) : undefined,
    };
    const b = v.classification.bucketAt(t);
    if (b) {
      b.add(cls.index, p.pred, undefined, false, exact);
      v.classification.total.add(cls.index, p.pred, undefined, false, exact);
    }
    const row = model.probabilitiesFor(p);
    const pb = row ? v.probabilities.bucketAt(t) : undefined;
    if (row && pb) {
      v.beforeScored((name) => model.classes.peek(name));
      pb.add(cls.index, p.pred, row.probs, row.partial, exact);
      v.probabilities.total.add(cls.index, p.pred, row.probs, row.partial, exact);
    }
  }

  /** Joins a label, arriving at `now`, to the pending prediction `id`. */
  joinPending(model: ModelState, id: string, label: number | string, now: number, drop: Drop): VersionState | undefined {
    const p = model.pending.get(id);
    if (!p) return undefined;
    model.pending.delete(id);
    this.pendingTotal--;
    p.version.touch();
    if (p.at !== undefined) p.version.labelTracking.pending.remove(p.at);
    p.version.advance(now);
    this.applyLabel(model, p, label, now, drop);
    this.remember(model, id, p.version);
    return p.version;
  }

  /**
   * Joins a `/feedback` batch's labels, arriving at `now`: to their pending prediction, or held
   * for a prediction still to come. A second label for an id (in the batch, or after its label
   * joined) is a duplicate; so is one for an id whose label is already held.
   */
  joinFeedback(model: ModelState, events: FeedbackBody['events'], now: number, drop: Drop): FeedbackCounts {
    for (const v of model.versions.values()) v.advance(now);
    this.expire(model, now, drop);
    this.expirePending(model, now, drop);
    const counts: FeedbackCounts = { joined: 0, held: 0 };
    for (const e of events) {
      const id = String(e.id);
      const done = model.recent.get(id);
      if (done && model.recent.isExpired(id)) {
        // its prediction was dropped as pending_expired: the label never found it
        model.feedbackUnknown++;
        drop('prediction_expired');
        continue;
      }
      if (done) {
        done.touch();
        done.revision++;
        done.feedbackDuplicate++;
        drop('duplicate_label');
        continue;
      }
      const v = this.joinPending(model, id, e.label, now, drop);
      if (v) {
        v.feedbackJoined++;
        counts.joined++;
      } else if (model.held.has(id)) drop('duplicate_label');
      else if (this.holdLabel(model, id, e.label, now, drop)) counts.held++;
    }
    return counts;
  }

  /**
   * Holds a `/feedback` batch's labels for model `name`, which has no state yet (see `orphans`).
   * Beyond MODELWATCH_MAX_MODELS names held for, the labels are dropped as `model_limit`.
   */
  holdForUnknown(name: string, events: FeedbackBody['events'], now: number, drop: Drop): FeedbackCounts {
    const txn = activeTxn();
    txn?.saveContents(this.orphans);
    this.expireUnknown(now, drop);
    let held = this.orphans.get(name);
    if (!held) {
      if (this.orphans.size >= this.config.limits.maxModels) {
        drop('model_limit', events.length);
        return { joined: 0, held: 0 };
      }
      this.orphans.set(name, (held = new Map()));
    } else txn?.saveContents(held);
    const counts: FeedbackCounts = { joined: 0, held: 0 };
    const { perModel, total } = this.config.heldLabels;
    for (const e of events) {
      const id = String(e.id);
      if (held.has(id)) {
        drop('duplicate_label');
        continue;
      }
      while (held.size > 0 && (held.size >= perModel || this.heldTotal >= total)) {
        held.delete(held.keys().next().value as string);
        this.heldTotal--;
        drop('label_evicted');
      }
      if (this.heldTotal >= total) {
        drop('label_evicted');
        continue;
      }
      held.set(id, { label: e.label, at: now });
      this.heldTotal++;
      counts.held++;
    }
    if (held.size === 0) this.orphans.delete(name);
    return counts;
  }

  /** Whether labels are held for a model that has no state yet. */
  holdsForUnknown(name: string): boolean {
    return this.orphans.has(name);
  }

  /** Moves the labels held for `model`'s name before it existed into its held labels (oldest first). */
  adopt(model: ModelState): void {
    const held = this.orphans.get(model.name);
    if (!held) return;
    activeTxn()?.saveContents(this.orphans);
    model.touchHeld();
    for (const [id, h] of held) {
      if (model.held.has(id)) {
        this.heldTotal--;
        continue;
      }
      model.held.set(id, h);
    }
    this.orphans.delete(model.name);
  }

  /** Drops labels held for models with no state yet that are older than MODELWATCH_HELD_LABEL_SECONDS. */
  expireUnknown(now: number, drop: Drop): void {
    const cutoff = now - this.config.heldLabels.ttlMs;
    const txn = activeTxn();
    for (const [name, held] of this.orphans) {
      const first = held.values().next().value as HeldLabel | undefined;
      if (first && first.at > cutoff) continue;
      txn?.saveContents(this.orphans);
      txn?.saveContents(held);
      for (const [id, h] of held) {
        if (h.at > cutoff) break;
        held.delete(id);
        this.heldTotal--;
        drop('label_expired');
      }
      if (held.size === 0) this.orphans.delete(name);
    }
  }

  /** Drops the model's held labels older than MODELWATCH_HELD_LABEL_SECONDS. */
  expire(model: ModelState, now: number, drop: Drop): void {
    const cutoff = now - this.config.heldLabels.ttlMs;
    for (const [id, h] of model.held) {
      if (h.at > cutoff) break;
      model.touchHeld();
      model.held.delete(id);
      this.heldTotal--;
      model.feedbackUnknown++;
      drop('label_expired');
    }
  }

  private holdLabel(model: ModelState, id: string, label: number | string, now: number, drop: Drop): boolean {
    const { perModel, total } = this.config.heldLabels;
    model.touchHeld();
    while (model.held.size > 0 && (model.held.size >= perModel || this.heldTotal >= total)) {
      model.held.delete(model.held.keys().next().value as string);
      this.heldTotal--;
      model.feedbackUnknown++;
      drop('label_evicted');
    }
    if (this.heldTotal >= total) {
      model.feedbackUnknown++;
      drop('label_evicted');
      return false;
    }
    model.held.set(id, { label, at: now });
    this.heldTotal++;
    return true;
  }

  /** Remembers that `id`'s label joined (or its prediction expired), forgetting the oldest beyond the bounds. */
  private remember(model: ModelState, id: string, v: VersionState, expired = false): void {
    if (!model.recent.add(id, v, expired)) return;
    this.recentTotal++;
    this.fleet.push(model.recent);
    const { perModel, total } = this.config.recentIds;
    while (model.recent.size > perModel && model.recent.evictOwn()) this.recentTotal--;
    while (this.recentTotal > total && this.fleetStart < this.fleet.length) {
      if (this.fleet[this.fleetStart++].evictForFleet()) this.recentTotal--;
    }
    this.compactFleet();
  }

  /**
   * Drops the fleet queue's dead entries: the evicted prefix once it is half the array, and the
   * stale or retired ones once they outnumber the live ones (plus slack), so each costs O(1)
   * amortised and the queue stays within about twice the remembered ids.
   */
  private compactFleet(): void {
    const { fleet, fleetStart } = this;
    const queued = fleet.length - fleetStart;
    if (queued > 2 * this.recentTotal + 1024) {
      const skip = new Map<RecentIds, number>();
      const kept: RecentIds[] = [];
      for (let i = fleetStart; i < fleet.length; i++) {
        const r = fleet[i];
        if (r.retired) continue;
        const s = skip.get(r) ?? r.takeStale();
        skip.set(r, s > 0 ? s - 1 : 0);
        if (s === 0) kept.push(r);
      }
      this.fleet = kept;
      this.fleetStart = 0;
    } else if (fleetStart >= 1024 && fleetStart * 2 >= fleet.length) {
      this.fleet = fleet.slice(fleetStart);
      this.fleetStart = 0;
    }
  }

  /** Stops counting a forgotten model's pending predictions, held labels and recent ids. */
  forget(model: ModelState): void {
    this.pendingTotal -= model.pending.size;
    this.heldTotal -= model.held.size;
    this.recentTotal -= model.recent.size;
    model.recent.retired = true;
  }

  /**
   * Counts entries added to a model's maps by a restore. Its recent ids join the fleet queue
   * after those restored before (snapshots keep each model's order, not the order across models).
   */
  countRestored(n: { pending: number; held: number; recent: number }, model?: ModelState): void {
    this.pendingTotal += n.pending;
    this.heldTotal += n.held;
    this.recentTotal += n.recent;
    if (model) for (let i = 0; i < n.recent; i++) this.fleet.push(model.recent);
  }
}

/** Whether a repeated event carries the prediction (and scores) already pending for its id. */
function samePrediction(model: ModelState, p: PendingPrediction, e: PredictionEvent): boolean {
  if (model.task === 'regression') return p.pred === e.prediction;
  if (p.predName !== String(e.prediction) || p.score !== e.score) return false;
  if ((p.probs === undefined) !== (e.scores === undefined)) return false;
  if (!p.probs || !e.scores) return true;
  let nonZero = 0;
  for (const c in e.scores) {
    const i = model.classes.peek(c);
    if (i === undefined || p.probs[i] !== e.scores[c]) return false;
    if (e.scores[c] !== 0) nonZero++;
  }
  let had = 0;
  for (const q of p.probs) if (q !== 0) had++;
  return had === nonZero;
}
