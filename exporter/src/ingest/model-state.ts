import { BoundedNames, escapeLabelValue, OTHER } from './bounded-names.js';
import type { Task } from './reference-profile.js';
import type { VersionState } from './version-state.js';
import { PendingTable } from './pending-table.js';
import { RecentIds } from './recent-ids.js';
import { activeTxn } from '../windows/txn.js';

/** A prediction waiting for its label, kept just long enough to join feedback to it. */
export interface PendingPrediction {
  version: VersionState;
  /** Classification: predicted class index; regression: predicted value. */
  pred: number;
  /** Classification: predicted class name, for the exact correct-predictions counter. */
  predName?: string;
  score?: number;
  probs?: Float64Array;
  /**
   * The exact probabilities of the classes in `scores` that folded into the fold bucket (their
   * sum is in `probs`): the true class's own probability when the label is one of them.
   */
  foldedScores?: Array<[name: string, probability: number]>;
  /** When the prediction was made (ms since the epoch), for label coverage and delay. */
  at?: number;
  /**
   * When it started waiting for its label (window time, ms): arrival order is the table's order,
   * so expiry (MODELWATCH_PENDING_PREDICTION_SECONDS) looks at the oldest entries only. Not `at`,
   * which is the event's own time: a backfill of old events must not expire on arrival.
   */
  arrived?: number;
}

/** A label that arrived before its prediction: the label and when it arrived (ms since the epoch). */
export interface HeldLabel {
  label: number | string;
  at: number;
}

export interface ModelBounds {
  maxVersions: number;
  maxClasses: number;
  maxKpis: number;
  maxErrorReasons: number;
  maxLabelValueLength: number;
}

/** Everything the exporter knows about one model: its versions, classes, KPIs and pending predictions. */
export class ModelState {
  readonly label: string;
  task?: Task;
  /**
   * The class a binary `score` is the probability of: stated (predictions, reference upload) or
   * inferred by the shared rule (stats/positive-class.ts); undefined until a batch needs it.
   */
  positiveClass?: string;
  readonly classes: BoundedNames;
  readonly errorReasons: BoundedNames;
  readonly versions = new Map<string, VersionState>();
  readonly kpis = new Map<string, number>();
  /** Insertion-ordered, so the first key is the oldest: evicted first when a bound is hit. */
  readonly pending = new PendingTable((i) => this.classes.names[i]);
  /** Labels that arrived before their prediction, oldest first (label-join.ts). */
  readonly held = new Map<string, HeldLabel>();
  /** Ids whose label has joined, oldest first, with their version: a repeat is a duplicate. */
  readonly recent = new RecentIds();
  /** Labels that never found their prediction (held, then expired or evicted). */
  feedbackUnknown = 0;
  /**
   * Batches applied to this model (one per transaction that touched it). The checkpointer writes a
   * model whose count moved: the journal deletes the rows a checkpoint covers, so a change no size
   * or revision shows (a held label replaced under its id) must still make the model dirty.
   */
  changes = 0;

  constructor(
    readonly name: string,
    readonly bounds: ModelBounds,
  ) {
    this.label = escapeLabelValue(name);
    this.classes = new BoundedNames(bounds.maxClasses, bounds.maxLabelValueLength);
    this.errorReasons = new BoundedNames(bounds.maxErrorReasons, bounds.maxLabelValueLength);
  }

  /**
   * Inside an ingest transaction (windows/txn.ts), saves the model's own fields, interned names,
   * versions and KPIs the first time the batch touches it. The join tables save themselves
   * (pending, recent) or are saved by the join before it changes them (held: `touchHeld`).
   */
  touch(): void {
    const txn = activeTxn();
    if (txn === undefined || txn.id === this.txnId) return;
    this.txnId = txn.id;
    const { task, positiveClass, feedbackUnknown, changes } = this;
    txn.save(this.classes);
    txn.save(this.errorReasons);
    txn.saveContents(this.versions);
    txn.saveContents(this.kpis);
    txn.onRollback(() => {
      this.task = task;
      this.positiveClass = positiveClass;
      this.feedbackUnknown = feedbackUnknown;
      this.changes = changes;
    });
    this.changes++;
  }
  private txnId = 0;

  /** Saves the held labels before the join changes them (a copy, once per transaction). */
  touchHeld(): void {
    activeTxn()?.saveContents(this.held);
  }

  /**
   * Sets the positive class (settled by ingest, binary-positive.ts, or a reference). A change —
   * the model registry's class was changed — applies from now on: the predictions still waiting
   * for their label have their binary score turned into the new class's probability (1 − score),
   * since the check only lets a model with two classes change to its other one. What the windows
   * already hold was scored with the old class and stays as it is (for two classes each row holds
   * both classes' probabilities, so ROC AUC and log loss stay right).
   */
  setPositiveClass(positive: string): void {
    if (this.positiveClass === positive) return;
    if (this.positiveClass !== undefined) this.pending.flipScores();
    this.positiveClass = positive;
  }

  /**
   * Index of the positive class for binary `score`s, interning it on first use. Only called
   * once ingest has settled the positive class (binary-positive.ts).
   */
  positiveIndex(): number {
    if (this.positiveClass === undefined) throw new Error(`model ${this.name} has no positive class`);
    return this.classes.indexOf(this.positiveClass).index;
  }

  /**
   * The class whose probabilities a two-class ROC AUC is computed from: the positive class once
   * it is known and interned (so the value is sklearn's `roc_auc_score(y == pos, score)` whatever
   * order the classes were first seen in), else undefined (class index 1).
   */
  aucClassIndex(): number | undefined {
    if (this.positiveClass === undefined) return undefined;
    return this.classes.peek(this.positiveClass);
  }

  /**
   * Class probabilities by class index, as known when the label arrives. A binary `score` is
   * P(positive class); the other class gets 1 - score — `partial` when that class is not known
   * yet (the row then holds the positive class only). `scores` were indexed at ingest and are
   * widened with zeros if classes appeared since.
   */
  probabilitiesFor(p: PendingPrediction): { probs: Float64Array; partial: boolean } | undefined {
    const n = this.classes.size;
    if (p.score !== undefined) {
      const probs = new Float64Array(n);
      const pos = this.positiveIndex();
      probs[pos] = p.score;
      const neg = p.pred !== pos ? p.pred : n === 2 ? 1 - pos : -1;
      if (neg >= 0) probs[neg] = 1 - p.score;
      return { probs, partial: neg < 0 };
    }
    if (p.probs && p.probs.length < n) {
      const wider = new Float64Array(n);
      wider.set(p.probs);
      return { probs: wider, partial: false };
    }
    return p.probs && { probs: p.probs, partial: false };
  }

  /** Reason label for a failed prediction: the client's string, bounded; `true` means "error". */
  errorReason(error: string | true): { reason: string; folded: boolean } {
    const { index, folded } = this.errorReasons.indexOf(error === true ? 'error' : error);
    return { reason: this.errorReasons.labels[index] ?? OTHER, folded };
  }
}
