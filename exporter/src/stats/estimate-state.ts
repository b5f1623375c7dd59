import type { NumberStash } from './counts.js';

/** Slots before the confusion cells: event count, Σ q(1 − q). */
const HEAD = 2;

/**
 * Window state of the label-free performance estimate (CBPE, see `estimatedMetrics`): sums of
 * calibrated probabilities, so that merging two states equals estimating over their union.
 *
 * - n: scored events; varSum: Σ q_i(1 − q_i), q_i the calibrated probability of event i's
 *   predicted class (P(event i is correct));
 * - cells[t·k + p]: expected number of events of true class t predicted as p — Σ over events
 *   predicted p of their calibrated P(class t);
 * - binary only: a histogram over the calibrated P(positive), `bins` bins, of the expected
 *   positives (Σ p) and expected negatives (Σ 1 − p), for the estimated ROC AUC.
 *
 * Everything is one Float64Array (merge/subtract/clear are one loop; a snapshot is one array),
 * of 2 + k² + 2·bins doubles: fixed by the reference, never by traffic.
 *
 * Sums are plain doubles: a window total that adds events and subtracts expired buckets
 * carries a rounding residue of about 1e-16 of its magnitude per operation, so the total is
 * reset to exact zeros whenever its event count returns to 0.
 */
export class EstimateState {
  readonly values: Float64Array;
  private readonly posAt: number;
  private readonly negAt: number;

  /** `k` classes (binary: 0 = negative, 1 = positive); `bins` AUC bins (binary only, else 0). */
  constructor(
    readonly k: number,
    readonly bins: number,
  ) {
    if (!Number.isInteger(k) || k < 2 || k > 4096) throw new RangeError('an estimate needs 2..4096 classes');
    if (!Number.isInteger(bins) || bins < 0 || (bins > 0 && k !== 2)) throw new RangeError('AUC bins apply to binary estimates only');
    this.posAt = HEAD + k * k;
    this.negAt = this.posAt + bins;
    this.values = new Float64Array(this.negAt + bins);
  }

  /** Saves the state for a rollback (windows/txn.ts); returns what writes it back. */
  saveState(stash: NumberStash): () => void {
    const at = stash.put(this.values, 0, this.values.length);
    return () => stash.load(this.values, 0, this.values.length, at);
  }

  /** Scored events the estimate rests on. */
  get count(): number {
    return this.values[0];
  }

  /** Σ q(1 − q) over events: the variance of the number of correct predictions. */
  get varianceSum(): number {
    return this.values[1];
  }

  /** Expected events of true class t predicted as p. */
  cell(t: number, p: number): number {
    return this.values[HEAD + t * this.k + p];
  }

  /** Expected positives / negatives in AUC bin b. */
  aucBin(b: number): { positives: number; negatives: number } {
    return { positives: this.values[this.posAt + b], negatives: this.values[this.negAt + b] };
  }

  /**
   * One binary event: `p` the calibrated P(positive) ∈ [0, 1], `predictedPositive` the model's
   * decision, `bin` the AUC bin of p (ignored when the state has none). O(1).
   */
  addBinary(p: number, predictedPositive: boolean, bin: number): void {
    const v = this.values;
    const q = predictedPositive ? p : 1 - p;
    v[0] += 1;
    v[1] += q * (1 - q);
    const col = predictedPositive ? 1 : 0;
    v[HEAD + 2 + col] += p;
    v[HEAD + col] += 1 - p;
    if (this.posAt !== this.negAt) {
      v[this.posAt + bin] += p;
      v[this.negAt + bin] += 1 - p;
    }
  }

  /** One multiclass event: `q` its calibrated class probabilities (summing to 1), `pred` the predicted class. O(k). */
  addMulticlass(q: ArrayLike<number>, pred: number): void {
    const v = this.values;
    const k = this.k;
    const qp = q[pred];
    v[0] += 1;
    v[1] += qp * (1 - qp);
    for (let t = 0; t < k; t++) v[HEAD + t * k + pred] += q[t];
  }

  merge(o: EstimateState): void {
    this.check(o);
    const v = this.values;
    const w = o.values;
    for (let i = 0; i < v.length; i++) v[i] += w[i];
  }

  /** Removes a state merged (or whose events were added) earlier; refused if it holds more events. */
  subtract(o: EstimateState): void {
    this.check(o);
    if (o.values[0] > this.values[0]) throw new RangeError('subtracting a state that was not merged in');
    const v = this.values;
    const w = o.values;
    for (let i = 0; i < v.length; i++) v[i] -= w[i];
    if (v[0] === 0) v.fill(0);
  }

  clear(): void {
    this.values.fill(0);
  }

  private check(o: EstimateState): void {
    if (o.k !== this.k || o.bins !== this.bins) throw new RangeError('estimate states of different shapes');
  }
}
