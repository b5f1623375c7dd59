import { BinCounts, type CountRole } from './counts.js';
import { ExactSum } from './exact-sum.js';
import { SCORE_BINS, scoreBin } from './score-histogram.js';

/** Probabilities are clipped to [1e-15, 1 − 1e-15] for log loss, as sklearn's `log_loss(eps=1e-15)`. */
export const LOG_LOSS_EPS = 1e-15;
/** Sanity bound on class indices; the caller is expected to bound classes far below this. */
const MAX_CLASSES = 4096;

/**
 * Window state for a classifier: a confusion matrix, the log-loss sum, and per class a score
 * histogram of positives and of negatives (one-vs-rest, `SCORE_BINS` bins each) for ROC AUC.
 * Memory is O(k² + k·SCORE_BINS) for k classes — fixed by the class count, not by traffic:
 * the histograms are allocated when the first event carries probabilities (a model that never
 * sends them pays nothing) and when a class is first seen, and kept — cleared, not freed —
 * when the state is emptied, so a window's memory stays flat.
 *
 * Classes are dense indices 0..k−1, k growing with the indices seen (true, predicted, or the
 * length of a probability vector). An event whose probability vector is shorter than k has
 * probability 0 for the missing classes — including classes first seen later, whose
 * histograms start with every earlier scored event as a negative at score 0.
 */
export class ClassificationState {
  /**
   * `holdsProbabilities`: the state will hold them, so its histograms are allocated with each
   * class as it is first seen rather than at the first scored event — a window whose buckets
   * fill one by one then reaches its full size at once instead of growing for a whole window.
   */
  constructor(
    private readonly role: CountRole = 'total',
    private readonly holdsProbabilities = false,
  ) {}

  private k = 0;
  /**
   * confusion[t * k + p] = events with true class t predicted as p. A plain array (in the V8
   * heap), not a typed one: a window has one state per fine bucket, and an ArrayBuffer each
   * would cost more than the few counts it holds.
   */
  private confusion: number[] = [];
  private labeledCount = 0;
  private scoredCount = 0;
  private readonly logLossSum = new ExactSum();
  private positives: BinCounts[] = [];
  private negatives: BinCounts[] = [];

  /** Events (true and predicted class) in the window. */
  get labeled(): number {
    return this.labeledCount;
  }

  /** Events that carried probabilities. */
  get scored(): number {
    return this.scoredCount;
  }

  /** Number of class indices seen (k). */
  get classCount(): number {
    return this.k;
  }

  add(trueIdx: number, predIdx: number, probs?: ArrayLike<number>): void {
    checkIndex(trueIdx, 'true class');
    checkIndex(predIdx, 'predicted class');
    if (probs !== undefined) {
      if (probs.length > MAX_CLASSES) throw new RangeError(`more than ${MAX_CLASSES} probabilities`);
      for (let i = 0; i < probs.length; i++) {
        const p = probs[i];
        if (!(p >= 0 && p <= 1)) throw new RangeError(`probability #${i} is not in [0, 1] (${p})`);
      }
    }
    this.grow(Math.max(trueIdx + 1, predIdx + 1, probs?.length ?? 0));
    this.confusion[trueIdx * this.k + predIdx]++;
    this.labeledCount++;
    if (probs === undefined) return;
    this.allocateHistograms();
    for (let c = 0; c < this.k; c++) {
      const bin = scoreBin(c < probs.length ? probs[c] : 0);
      (c === trueIdx ? this.positives : this.negatives)[c].increment(bin);
    }
    const pTrue = trueIdx < probs.length ? probs[trueIdx] : 0;
    this.logLossSum.add(-Math.log(Math.min(Math.max(pTrue, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS)));
    this.scoredCount++;
  }

  /** Makes room for class indices below k now (as if they had been seen, with no events). */
  reserve(k: number): void {
    this.grow(k);
  }

  merge(o: ClassificationState): void {
    this.grow(o.k);
    this.combine(o, 1);
  }

  /** Removes a state that was merged (or whose events were added) earlier; exact. */
  subtract(o: ClassificationState): void {
    this.grow(o.k);
    this.combine(o, -1);
  }

  /** Empties the state; classes already seen, and their arrays, are kept for reuse. */
  clear(): void {
    this.confusion.fill(0);
    this.labeledCount = 0;
    this.scoredCount = 0;
    this.logLossSum.clear();
    for (const h of this.positives) h.clear();
    for (const h of this.negatives) h.clear();
  }

  /** Confusion-matrix cell: events of true class t predicted as p. */
  cell(t: number, p: number): number {
    return t < this.k && p < this.k ? this.confusion[t * this.k + p] : 0;
  }

  /** Mean clipped log loss over scored events; undefined when none carried probabilities. */
  meanLogLoss(): number | undefined {
    return this.scoredCount === 0 ? undefined : this.logLossSum.value() / this.scoredCount;
  }

  /** One-vs-rest score histograms of class c (undefined when no event carried probabilities). */
  histograms(c: number): { positives: ArrayLike<number>; negatives: ArrayLike<number> } | undefined {
    if (this.scoredCount === 0 || c >= this.k) return undefined;
    return { positives: this.positives[c].view(), negatives: this.negatives[c].view() };
  }

  /**
   * Adds (sign 1) or subtracts (sign −1) o, with this.k ≥ o.k. Classes o has not seen hold
   * all of o's scored events as negatives at score 0. A subtraction that would make any count
   * negative is refused before anything changes.
   */
  private combine(o: ClassificationState, sign: 1 | -1): void {
    const labeled = this.labeledCount + sign * o.labeledCount;
    const scored = this.scoredCount + sign * o.scoredCount;
    const refuse = (): never => {
      throw new RangeError('subtracting a state that was not merged in');
    };
    if (labeled < 0 || scored < 0) refuse();
    if (sign === -1) {
      for (let t = 0; t < o.k; t++) {
        for (let p = 0; p < o.k; p++) if (this.confusion[t * this.k + p] < o.confusion[t * o.k + p]) refuse();
      }
      if (o.scoredCount > 0) {
        for (let c = 0; c < this.k; c++) {
          const ok =
            c < o.k
              ? this.positives[c].covers(o.positives[c]) && this.negatives[c].covers(o.negatives[c])
              : this.negatives[c].get(0) >= o.scoredCount;
          if (!ok) refuse();
        }
      }
    }
    for (let t = 0; t < o.k; t++) {
      for (let p = 0; p < o.k; p++) this.confusion[t * this.k + p] += sign * o.confusion[t * o.k + p];
    }
    if (o.scoredCount > 0) {
      this.allocateHistograms();
      for (let c = 0; c < this.k; c++) {
        if (c < o.k) {
          if (sign === 1) {
            this.positives[c].add(o.positives[c]);
            this.negatives[c].add(o.negatives[c]);
          } else {
            this.positives[c].subtract(o.positives[c]);
            this.negatives[c].subtract(o.negatives[c]);
          }
        } else {
          this.negatives[c].increment(0, sign * o.scoredCount);
        }
      }
    }
    this.labeledCount = labeled;
    this.scoredCount = scored;
    if (sign === 1) this.logLossSum.merge(o.logLossSum);
    else this.logLossSum.subtract(o.logLossSum);
  }

  private grow(k: number): void {
    if (k <= this.k) return;
    if (k > MAX_CLASSES) throw new RangeError(`more than ${MAX_CLASSES} classes`);
    const confusion = new Array<number>(k * k).fill(0);
    for (let t = 0; t < this.k; t++) {
      for (let p = 0; p < this.k; p++) confusion[t * k + p] = this.confusion[t * this.k + p];
    }
    if (this.positives.length > 0) {
      for (let c = this.k; c < k; c++) {
        this.positives.push(new BinCounts(SCORE_BINS, this.role, 2 * c));
        const negatives = new BinCounts(SCORE_BINS, this.role, 2 * c + 1);
        if (this.scoredCount > 0) negatives.increment(0, this.scoredCount);
        this.negatives.push(negatives);
      }
    }
    this.confusion = confusion;
    this.k = k;
    if (this.holdsProbabilities) this.allocateHistograms();
  }

  private allocateHistograms(): void {
    if (this.positives.length > 0) return;
    for (let c = 0; c < this.k; c++) {
      this.positives.push(new BinCounts(SCORE_BINS, this.role, 2 * c));
      this.negatives.push(new BinCounts(SCORE_BINS, this.role, 2 * c + 1));
    }
  }
}

function checkIndex(i: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_CLASSES) throw new RangeError(`${what} index must be an integer in [0, ${MAX_CLASSES})`);
}
