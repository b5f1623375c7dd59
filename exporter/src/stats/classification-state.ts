import { BinCounts, type CountRole, type NumberStash } from './counts.js';
import { ExactSum } from './exact-sum.js';
import { SCORE_BINS, scoreBin } from './score-histogram.js';
import type { ScoreGrid, AdaptiveMember } from './adaptive-grid.js';
import { QUANTILE_GENERATIONS } from './quantile-grid.js';

/**
 * Log loss clips probabilities to [ε, 1 − ε] with ε the float64 machine epsilon (2⁻⁵², about
 * 2.22e-16), as `sklearn.metrics.log_loss(eps='auto')` does since scikit-learn 1.2.
 */
export const LOG_LOSS_EPS = Number.EPSILON;
/**
 * How far a probability row's sum may be from 1 and still be used: rows within it are
 * renormalised (divided by their sum) before use; callers reject rows outside it (ingest answers
 * 400 naming `events[i].scores`). 0.01 admits scores rounded to two decimals over a few classes
 * and float32 softmax outputs, and refuses rows that are not probabilities at all.
 */
export const ROW_SUM_TOLERANCE = 0.01;
/**
 * The row sums within ROW_SUM_TOLERANCE of 1, widened by 1e-9 for float rounding: decimal rows
 * summing to exactly 0.99 or 1.01 (0.33 + 0.33 + 0.33 adds up to 0.99 + 9e-18 below) are within it.
 */
export const ROW_SUM_MIN = 1 - ROW_SUM_TOLERANCE - 1e-9;
export const ROW_SUM_MAX = 1 + ROW_SUM_TOLERANCE + 1e-9;
/**
 * How far from 1 a row's sum may be for `sklearn.metrics.roc_auc_score(multi_class='ovr')` to
 * take it as probabilities as it is: `np.allclose(1, row sum)`, |1 − sum| ≤ 1e-8 + 1e-5·sum.
 */
export const SKLEARN_ROW_SUM_TOLERANCE = 1e-8 + 1e-5 * (1 + 1e-5);
/** Sanity bound on class indices; the caller is expected to bound classes far below this. */
const MAX_CLASSES = 4096;

/**
 * Window state for a classifier: a confusion matrix, the log-loss sum, and per class score
 * histograms of positives and of negatives (one-vs-rest) for ROC AUC: one on a fixed grid,
 * uniform in log-odds (`SCORE_BINS` bins, see score-histogram.ts), and — for states that share a
 * window's ScoreGrid — one on that grid, whose cells follow where the window's scores are
 * (`grid.bins` bins, see adaptive-grid.ts). Memory is O(k² + k·(SCORE_BINS + grid.bins)) for k
 * classes — fixed by the class count, not by traffic: the histograms are allocated when the
 * first event carries probabilities (a model that never sends them pays nothing) and when a
 * class is first seen, and kept — cleared, not freed — when the state is emptied, so a
 * window's memory stays flat.
 *
 * Every count is a function of the multiset of events added (merged, minus subtracted) and of
 * the grid, never of their order or batching.
 *
 * Classes are dense indices 0..k−1, k growing with the indices seen (true, predicted, or the
 * length of a probability vector). An event whose probability vector is shorter than k has
 * probability 0 for the missing classes — including classes first seen later, whose
 * histograms start with every earlier scored event as a negative at score 0.
 */
export class ClassificationState implements AdaptiveMember {
  /**
   * `holdsProbabilities`: the state will hold them, so its histograms are allocated with each
   * class as it is first seen rather than at the first scored event — a window whose buckets
   * fill one by one then reaches its full size at once instead of growing for a whole window.
   * `grid`: the adaptive grid shared by the states of one window (none: fixed grid only).
   */
  constructor(
    private readonly role: CountRole = 'total',
    private readonly holdsProbabilities = false,
    private readonly grid?: ScoreGrid,
  ) {
    grid?.join(this);
  }

  private k = 0;
  /**
   * confusion[t * k + p] = events with true class t predicted as p. A plain array (in the V8
   * heap), not a typed one: a window has one state per fine bucket, and an ArrayBuffer each
   * would cost more than the few counts it holds.
   */
  private confusion: number[] = [];
  /**
   * apart[c] = events counted in confusion[c * k + c] whose true and predicted classes were two
   * different names sharing index c (both folded into the fold bucket, see ingest's BoundedNames):
   * not correct predictions, though the matrix cannot tell them apart.
   */
  private apart: number[] = [];
  private labeledCount = 0;
  private scoredCount = 0;
  private readonly logLossSum = new ExactSum();
  private positives: BinCounts[] = [];
  private negatives: BinCounts[] = [];
  /** Counts on the shared adaptive grid, indexed by its bins (empty without one). */
  private adaptivePositives: BinCounts[] = [];
  private adaptiveNegatives: BinCounts[] = [];
  /** Counts on the grid's quantile generations: [g][c], bins in score order (empty without a grid). */
  private readonly quantilePositives: BinCounts[][] = Array.from({ length: QUANTILE_GENERATIONS }, () => []);
  private readonly quantileNegatives: BinCounts[][] = Array.from({ length: QUANTILE_GENERATIONS }, () => []);
  /** Scored events counted on each quantile generation (all of them once it is complete). */
  private quantileScored: number[] = new Array<number>(QUANTILE_GENERATIONS).fill(0);

  /** Events (true and predicted class) in the window. */
  get labeled(): number {
    return this.labeledCount;
  }

  /** Events that carried probabilities. */
  get scored(): number {
    return this.scoredCount;
  }

  /** Events of index c predicted as index c that were right: the diagonal less the folded pairs apart (see `apart`). */
  correct(c: number): number {
    return c < this.k ? this.confusion[c * this.k + c] - this.apart[c] : 0;
  }

  /** Number of class indices seen (k). */
  get classCount(): number {
    return this.k;
  }

  /**
   * Adds one event: true and predicted class indices, and optionally its class probabilities
   * (each in [0, 1]; the row is renormalised to sum 1 — callers keep rows within
   * ROW_SUM_TOLERANCE of 1, see ingest — and an all-zero row is used as it is).
   * `partial`: the row is known to lack classes (a binary score whose other class has not been
   * seen yet), so it is used as it is even when its sum comes within the tolerance of 1 — a score
   * of 0.995 is P(positive) = 0.995, not a row to scale up to 1.
   * `exact`: what the indices cannot say when classes share an index (folded at a cardinality
   * bound): `apart`, the true and predicted classes are different names (so not a correct
   * prediction, though trueIdx = predIdx); `trueProbability`, the true class's own probability
   * for log loss (the row holds the fold bucket's sum).
   * @throws RangeError on bad indices or probabilities, before anything changes.
   */
  add(trueIdx: number, predIdx: number, probs?: ArrayLike<number>, partial = false, exact?: ExactClasses): void {
    checkIndex(trueIdx, 'true class');
    checkIndex(predIdx, 'predicted class');
    let rowSum = 1;
    if (probs !== undefined) {
      if (probs.length > MAX_CLASSES) throw new RangeError(`more than ${MAX_CLASSES} probabilities`);
      rowSum = 0;
      for (let i = 0; i < probs.length; i++) {
        const p = probs[i];
        if (!(p >= 0 && p <= 1)) throw new RangeError(`probability #${i} is not in [0, 1] (${p})`);
        rowSum += p;
      }
    }
    this.grow(Math.max(trueIdx + 1, predIdx + 1, probs?.length ?? 0));
    this.confusion[trueIdx * this.k + predIdx]++;
    if (exact?.apart && trueIdx === predIdx) this.apart[trueIdx]++;
    this.labeledCount++;
    if (probs === undefined) return;
    this.allocateHistograms();
    // Rows that reach 1 − ROW_SUM_TOLERANCE are renormalised; a row short of it is partial — e.g.
    // a binary score whose other class is not known yet, which holds the rest — and is used as it
    // is. So is a row sklearn takes as probabilities (SKLEARN_ROW_SUM_TOLERANCE): sklearn ranks
    // its raw columns, and dividing by 1 + 1e-9 would order the scores a float32 softmax
    // saturated to exactly 1 — ties for sklearn — by the other classes' leftover mass.
    const off = Math.abs(rowSum - 1);
    const scale = !partial && rowSum >= ROW_SUM_MIN && off > SKLEARN_ROW_SUM_TOLERANCE ? rowSum : 1;
    for (let c = 0; c < this.k; c++) {
      const p = c < probs.length ? Math.min(1, probs[c] / scale) : 0;
      this.addScore(c, p, c === trueIdx, 1);
    }
    this.logLossSum.add(logLossTerm(probs, trueIdx, partial, exact?.trueProbability));
    this.scoredCount++;
    if (this.grid) for (let g = 0; g < QUANTILE_GENERATIONS; g++) if (this.grid.quantile.active(g)) this.quantileScored[g]++;
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
    this.apart.fill(0);
    this.labeledCount = 0;
    this.scoredCount = 0;
    this.logLossSum.clear();
    for (const h of this.positives) h.clear();
    for (const h of this.negatives) h.clear();
    for (const h of this.adaptivePositives) h?.clear();
    for (const h of this.adaptiveNegatives) h?.clear();
    for (let g = 0; g < this.quantilePositives.length; g++) this.clearQuantile(g);
  }

  /** AdaptiveMember: zeroes the counts on quantile generation g (it starts on a new layout). */
  clearQuantile(g: number): void {
    for (const h of this.quantilePositives[g] ?? []) h.clear();
    for (const h of this.quantileNegatives[g] ?? []) h.clear();
    this.quantileScored[g] = 0;
  }

  /** Whether quantile generation g counts every scored event of this state. */
  quantileComplete(g: number): boolean {
    return this.quantileScored[g] === this.scoredCount;
  }

  /** Confusion-matrix cell: events of true class t predicted as p. */
  cell(t: number, p: number): number {
    return t < this.k && p < this.k ? this.confusion[t * this.k + p] : 0;
  }

  /** Mean clipped log loss over scored events; undefined when none carried probabilities. */
  meanLogLoss(): number | undefined {
    return this.scoredCount === 0 ? undefined : this.logLossSum.value() / this.scoredCount;
  }

  /**
   * One-vs-rest score histograms of class c, on the fixed grid and (with a shared grid) on the
   * adaptive one; undefined when no event carried probabilities.
   */
  histograms(c: number): ClassHistograms | undefined {
    if (this.scoredCount === 0 || c >= this.k) return undefined;
    const h: ClassHistograms = { positives: this.positives[c].view(), negatives: this.negatives[c].view() };
    const grid = this.grid;
    if (!grid) return h;
    // Each scored event adds one count to every class's histograms; the adaptive ones lack the
    // events of buckets restored from a snapshot written before that grid (durable/state-codec.ts).
    const pos = this.adaptivePositives[c].view();
    const neg = this.adaptiveNegatives[c].view();
    let sum = 0;
    for (let b = 0; b < pos.length; b++) sum += pos[b] + neg[b];
    if (sum === this.scoredCount) {
      h.adaptivePositives = pos;
      h.adaptiveNegatives = neg;
      h.adaptiveOrder = grid.order(c);
      h.adaptiveExact = grid.exactBins(c);
    }
    h.quantile = this.quantilePositives.map((counts, g) => {
      if (!grid.quantile.active(g) || !this.quantileComplete(g)) return undefined;
      const positives = counts[c].view();
      const negatives = this.quantileNegatives[g][c].view();
      return { positives, negatives, cells: grid.quantile.cellCounts(g, c, positives, negatives) };
    });
    return h;
  }

  /**
   * Saves the state for a rollback (windows/txn.ts): its counts (its own rows of the window's
   * count ring), sums and class vectors; the shared score grid saves itself before it changes.
   * Rows allocated after the save are zeroed by the rollback, so that a class allocated again
   * later finds its row empty.
   */
  saveState(stash: NumberStash): () => void {
    const { k, confusion, labeledCount, scoredCount, positives, negatives, adaptivePositives, adaptiveNegatives } = this;
    const lists = [positives, negatives, adaptivePositives, adaptiveNegatives, ...this.quantilePositives, ...this.quantileNegatives];
    const quantileScored = this.quantileScored.slice();
    const kept = lists.map((l) => l.slice());
    const had = new Set<BinCounts>();
    const rows: Array<() => void> = [];
    for (const l of kept)
      for (const b of l)
        if (b) {
          had.add(b);
          rows.push(b.saveState(stash));
        }
    const counts = confusion.slice();
    const apart = this.apart.slice();
    const sum = this.logLossSum.saveState();
    const ring = typeof this.role === 'object' ? this.role.ring.saveState() : undefined;
    return () => {
      // Saved rows first (they put back the column's width), then the rows allocated since.
      for (const r of rows) r();
      for (const l of lists) for (const b of l) if (b && !had.has(b)) b.clear();
      lists.forEach((l, i) => {
        l.length = kept[i].length;
        for (let j = 0; j < kept[i].length; j++) l[j] = kept[i][j];
      });
      ring?.();
      sum();
      confusion.length = counts.length;
      for (let i = 0; i < counts.length; i++) confusion[i] = counts[i];
      this.confusion = confusion;
      this.apart = apart;
      this.k = k;
      this.labeledCount = labeledCount;
      this.scoredCount = scoredCount;
      this.quantileScored = quantileScored;
    };
  }

  /** AdaptiveMember: moves class c's counts on the shared grid to its coarser bins (called by the grid). */
  rebinAdaptive(c: number, to: ArrayLike<number>): void {
    if (c >= this.adaptivePositives.length) return;
    for (const h of [this.adaptivePositives[c], this.adaptiveNegatives[c]]) {
      const counts = h.toArray();
      h.clear();
      for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) h.increment(to[i], counts[i]);
    }
  }

  /**
   * Adds (n < 0: removes) |n| scores p of class c, positives or negatives, to its histograms;
   * `quantile[g]` of them (default n) to those of each started quantile generation g.
   */
  private addScore(c: number, p: number, positive: boolean, n: number, quantile?: readonly number[]): void {
    (positive ? this.positives : this.negatives)[c].increment(scoreBin(p), n);
    const grid = this.grid;
    if (!grid) return;
    // The grid may coarsen while it finds p's bin, moving this state's counts too: index after.
    (positive ? this.adaptivePositives : this.adaptiveNegatives)[c].increment(grid.bin(c, p), n);
    for (let g = 0; g < QUANTILE_GENERATIONS; g++) {
      const m = quantile ? quantile[g] : n;
      if (m !== 0 && grid.quantile.active(g))
        (positive ? this.quantilePositives : this.quantileNegatives)[g][c].increment(grid.quantile.bin(g, c, p), m);
    }
  }

  /**
   * Adds (sign 1) or subtracts (sign −1) o, with this.k ≥ o.k. Classes o has not seen hold
   * all of o's scored events as negatives at score 0. A subtraction that would make any count
   * negative is refused before anything changes.
   */
  private combine(o: ClassificationState, sign: 1 | -1): void {
    if (o.scoredCount > 0 && o.grid !== this.grid) throw new RangeError('states on different score grids');
    const labeled = this.labeledCount + sign * o.labeledCount;
    const scored = this.scoredCount + sign * o.scoredCount;
    const refuse = (): never => {
      throw new RangeError('subtracting a state that was not merged in');
    };
    if (labeled < 0 || scored < 0) refuse();
    if (sign === -1) {
      for (let t = 0; t < o.k; t++) {
        for (let p = 0; p < o.k; p++) if (this.confusion[t * this.k + p] < o.confusion[t * o.k + p]) refuse();
        if (this.apart[t] < o.apart[t]) refuse();
      }
      if (o.scoredCount > 0) {
        for (let c = 0; c < this.k; c++) {
          const ok =
            c < o.k
              ? this.positives[c].covers(o.positives[c]) &&
                this.negatives[c].covers(o.negatives[c]) &&
                (!this.grid ||
                  (this.adaptivePositives[c].covers(o.adaptivePositives[c]) &&
                    this.adaptiveNegatives[c].covers(o.adaptiveNegatives[c]) &&
                    this.quantilePositives.every((q, g) => q[c].covers(o.quantilePositives[g][c])) &&
                    this.quantileNegatives.every((q, g) => q[c].covers(o.quantileNegatives[g][c]))))
              : this.negatives[c].get(0) >= o.scoredCount &&
                (!this.grid || this.quantileNegatives.every((q, g) => q[c].get(0) >= o.quantileScored[g]));
          if (!ok) refuse();
        }
      }
    }
    for (let t = 0; t < o.k; t++) {
      for (let p = 0; p < o.k; p++) this.confusion[t * this.k + p] += sign * o.confusion[t * o.k + p];
      this.apart[t] += sign * o.apart[t];
    }
    if (o.scoredCount > 0) {
      this.allocateHistograms();
      for (let c = 0; c < this.k; c++) {
        if (c >= o.k) {
          this.addScore(
            c,
            0,
            false,
            sign * o.scoredCount,
            o.quantileScored.map((n) => sign * n),
          );
        } else if (sign === 1) {
          this.positives[c].add(o.positives[c]);
          this.negatives[c].add(o.negatives[c]);
          if (this.grid) {
            this.adaptivePositives[c].add(o.adaptivePositives[c]);
            this.adaptiveNegatives[c].add(o.adaptiveNegatives[c]);
            this.quantilePositives.forEach((q, g) => q[c].add(o.quantilePositives[g][c]));
            this.quantileNegatives.forEach((q, g) => q[c].add(o.quantileNegatives[g][c]));
          }
        } else {
          this.positives[c].subtract(o.positives[c]);
          this.negatives[c].subtract(o.negatives[c]);
          if (this.grid) {
            this.adaptivePositives[c].subtract(o.adaptivePositives[c]);
            this.adaptiveNegatives[c].subtract(o.adaptiveNegatives[c]);
            this.quantilePositives.forEach((q, g) => q[c].subtract(o.quantilePositives[g][c]));
            this.quantileNegatives.forEach((q, g) => q[c].subtract(o.quantileNegatives[g][c]));
          }
        }
      }
    }
    this.labeledCount = labeled;
    this.scoredCount = scored;
    for (let g = 0; g < QUANTILE_GENERATIONS; g++) this.quantileScored[g] += sign * o.quantileScored[g];
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
    const had = this.positives.length > 0;
    const oldK = this.k;
    this.confusion = confusion;
    for (let c = this.apart.length; c < k; c++) this.apart.push(0);
    this.k = k;
    if (had) {
      for (let c = oldK; c < k; c++) {
        this.pushClass(c);
        if (this.scoredCount > 0) this.addScore(c, 0, false, this.scoredCount, this.quantileScored);
      }
    }
    if (this.holdsProbabilities) this.allocateHistograms();
  }

  private allocateHistograms(): void {
    if (this.positives.length > 0) return;
    for (let c = 0; c < this.k; c++) this.pushClass(c);
  }

  private pushClass(c: number): void {
    // Keys of the window's count ring (counts.ts): 4 + 2·QUANTILE_GENERATIONS vectors per class.
    const key = (4 + 2 * QUANTILE_GENERATIONS) * c;
    this.positives.push(new BinCounts(SCORE_BINS, this.role, key));
    this.negatives.push(new BinCounts(SCORE_BINS, this.role, key + 1));
    if (!this.grid) return;
    this.adaptivePositives.push(new BinCounts(this.grid.bins, this.role, key + 2));
    this.adaptiveNegatives.push(new BinCounts(this.grid.bins, this.role, key + 3));
    for (let g = 0; g < QUANTILE_GENERATIONS; g++) {
      this.quantilePositives[g].push(new BinCounts(this.grid.quantile.bins, this.role, key + 4 + 2 * g));
      this.quantileNegatives[g].push(new BinCounts(this.grid.quantile.bins, this.role, key + 5 + 2 * g));
    }
  }
}

/** See ClassificationState.add. */
export interface ExactClasses {
  apart?: boolean;
  trueProbability?: number;
}

/**
 * A class's one-vs-rest histograms: fixed log-odds grid, and the adaptive grid when the state
 * has one — its bins are not in score order: `adaptiveOrder` lists them in it.
 */
export interface ClassHistograms {
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
  adaptivePositives?: ArrayLike<number>;
  adaptiveNegatives?: ArrayLike<number>;
  adaptiveOrder?: ArrayLike<number>;
  /** The adaptive grid's bins that hold one score value (their pairs are exact ties). */
  adaptiveExact?: readonly number[];
  /**
   * Per quantile generation (quantile-grid.ts), its counts when it holds every scored event (bins
   * in score order, the first and last exactly 0 and 1), and its cells for a layout; undefined
   * for one that does not.
   */
  quantile?: Array<QuantileHistograms | undefined>;
}

/** A class's counts on a complete quantile generation (see ClassHistograms.quantile). */
export interface QuantileHistograms {
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
  cells: (visit: (lo: number, hi: number, pos: number, neg: number) => void) => void;
}

/**
 * One event's log loss as `sklearn.metrics.log_loss` (1.2) computes it: every probability of the
 * row clipped to [ε, 1 − ε], the row divided by its clipped sum, then −ln of the true class's
 * share. The row is the vector given (classes beyond it have probability 0 but are not part of
 * the row, so the term never depends on classes seen later). A partial row, short of 1 by more
 * than ROW_SUM_TOLERANCE (ingest refuses such `scores`; it arises from a binary `score` before
 * the other class is known, which callers flag with `partial`), costs −ln of the true class's clipped
 * probability.
 */
export function logLossTerm(probs: ArrayLike<number>, trueIdx: number, partial = false, trueProbability?: number): number {
  const clip = (p: number) => Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  const own = trueProbability ?? (trueIdx < probs.length ? probs[trueIdx] : 0);
  let raw = 0;
  for (let i = 0; i < probs.length; i++) raw += probs[i];
  // A partial row (see add) is not renormalised: the true class's own probability counts.
  if (partial || raw < ROW_SUM_MIN) return -Math.log(clip(own));
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += clip(probs[i]);
  const pTrue = clip(own);
  return -Math.log(pTrue / (trueIdx < probs.length ? sum : sum + pTrue));
}

function checkIndex(i: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_CLASSES) throw new RangeError(`${what} index must be an integer in [0, ${MAX_CLASSES})`);
}
