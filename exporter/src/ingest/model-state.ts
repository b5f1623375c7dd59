import { BoundedNames, escapeLabelValue, OTHER } from './bounded-names.js';
import type { Task } from './reference-profile.js';
import type { VersionState } from './version-state.js';
import { PendingTable } from './pending-table.js';

/** A prediction waiting for its label, kept just long enough to join feedback to it. */
export interface PendingPrediction {
  version: VersionState;
  /** Classification: predicted class index; regression: predicted value. */
  pred: number;
  /** Classification: predicted class name, for the exact correct-predictions counter. */
  predName?: string;
  score?: number;
  probs?: Float64Array;
  /** When the prediction was made (ms since the epoch), for label coverage and delay. */
  at?: number;
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
  positiveClass = '1';
  readonly classes: BoundedNames;
  readonly errorReasons: BoundedNames;
  readonly versions = new Map<string, VersionState>();
  readonly kpis = new Map<string, number>();
  /** Insertion-ordered, so the first key is the oldest: evicted first when a bound is hit. */
  readonly pending = new PendingTable((i) => this.classes.names[i]);
  feedbackUnknown = 0;

  constructor(
    readonly name: string,
    readonly bounds: ModelBounds,
  ) {
    this.label = escapeLabelValue(name);
    this.classes = new BoundedNames(bounds.maxClasses, bounds.maxLabelValueLength);
    this.errorReasons = new BoundedNames(bounds.maxErrorReasons, bounds.maxLabelValueLength);
  }

  /** Index of the positive class for binary `score`s, interning it on first use. */
  positiveIndex(): number {
    return this.classes.indexOf(this.positiveClass).index;
  }

  /**
   * Class probabilities by class index, as known when the label arrives. A binary `score` is
   * P(positive class); the other class gets 1 - score. `scores` were indexed at ingest and are
   * widened with zeros if classes appeared since.
   */
  probabilitiesFor(p: PendingPrediction): Float64Array | undefined {
    const n = this.classes.size;
    if (p.score !== undefined) {
      const probs = new Float64Array(n);
      const pos = this.positiveIndex();
      probs[pos] = p.score;
      const neg = p.pred !== pos ? p.pred : n === 2 ? 1 - pos : -1;
      if (neg >= 0) probs[neg] = 1 - p.score;
      return probs;
    }
    if (p.probs && p.probs.length < n) {
      const wider = new Float64Array(n);
      wider.set(p.probs);
      return wider;
    }
    return p.probs;
  }

  /** Reason label for a failed prediction: the client's string, bounded; `true` means "error". */
  errorReason(error: string | true): { reason: string; folded: boolean } {
    const { index, folded } = this.errorReasons.indexOf(error === true ? 'error' : error);
    return { reason: this.errorReasons.names[index] ?? OTHER, folded };
  }
}
