import type { Config } from '../config/config.js';
import type { Drop } from './drop-reasons.js';
import type { ModelState, PendingPrediction } from './model-state.js';
import type { FeedbackBody, PredictionEvent } from './schemas.js';
import type { VersionState } from './version-state.js';

/**
 * The join of labels to predictions by id: what a prediction keeps while it waits for its
 * label (bounded per model and in total, oldest evicted first), and how a label, inline or
 * from `/feedback`, is scored into its version's quality windows.
 */
export class LabelJoin {
  private pendingTotal = 0;

  constructor(private readonly config: Pick<Config, 'pendingPredictionsPerModel' | 'pendingPredictionsTotal'>) {}

  /** Predictions waiting for their labels, over all models. */
  get pendingCount(): number {
    return this.pendingTotal;
  }

  /** What is needed to score the prediction once its label is known. */
  pendingFor(model: ModelState, v: VersionState, e: PredictionEvent, drop: Drop): PendingPrediction | undefined {
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

  /** Keeps a prediction until its label comes, evicting the oldest beyond the bounds. */
  hold(model: ModelState, id: string, p: PendingPrediction, drop: Drop): void {
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
  applyLabel(model: ModelState, p: PendingPrediction, label: number | string, t: number, drop: Drop): void {
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
    const row = model.probabilitiesFor(p);
    const pb = row ? v.probabilities.bucketAt(t) : undefined;
    if (row && pb) {
      pb.add(cls.index, p.pred, row.probs, row.partial);
      v.probabilities.total.add(cls.index, p.pred, row.probs, row.partial);
    }
  }

  /** Joins a `/feedback` batch's labels, arriving at `now`, to the model's pending predictions. */
  joinFeedback(model: ModelState, events: FeedbackBody['events'], now: number, drop: Drop): void {
    for (const v of model.versions.values()) v.advance(now);
    // Joined predictions leave the map at once, so its size tracks the labelling delay rather
    // than the traffic; a second label for the same id is a duplicate within this batch, and
    // "unknown_prediction" in a later one.
    const joined = new Map<string, VersionState>();
    for (const e of events) {
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
  }

  /** Stops counting a forgotten model's pending predictions. */
  forget(model: ModelState): void {
    this.pendingTotal -= model.pending.size;
  }

  /** Counts pending predictions added to a model's map by a restore. */
  countRestored(n: number): void {
    this.pendingTotal += n;
  }
}
