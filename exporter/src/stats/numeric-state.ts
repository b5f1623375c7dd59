import { BinCounts, checkedDifference, type CountRole, type NumberStash } from './counts.js';
import type { NumericFeatureReference } from './feature-reference.js';
import { countBelow } from './quantile.js';

/**
 * Window state of one numeric feature: counts of values on the reference's fine grid, so
 * that memory is fixed by the reference (at most 2·399+1 counts, allocated when the state is
 * created; see BinCounts for their width), never by traffic.
 *
 * Fine bins, for the reference's distinct cut points e_0 < … < e_{E-1}:
 *   bin 2i   = the open interval (e_{i-1}, e_i)   (e_{-1} = -inf)
 *   bin 2i+1 = exactly e_i
 *   bin 2E   = (e_{E-1}, +inf)
 * Keeping values that sit exactly on a cut point apart gives the window CDF on both sides of
 * every cut point, which the KS statistic needs when data has ties; PSI bins (a, b] are unions
 * of fine bins because every decile cut point is also a fine cut point.
 */
export class NumericFeatureState {
  private readonly bins: BinCounts;
  private nonMissing = 0;
  private missingCount = 0;
  private outOfRangeCount = 0;

  constructor(
    readonly ref: NumericFeatureReference,
    role: CountRole = 'total',
  ) {
    this.bins = new BinCounts(2 * ref.edges.length + 1, role, 0);
  }

  /** Non-missing values in the window. */
  get count(): number {
    return this.nonMissing;
  }

  get missing(): number {
    return this.missingCount;
  }

  /** Values below the reference minimum or above its maximum. */
  get outOfRange(): number {
    return this.outOfRangeCount;
  }

  /** Counts per fine bin (see the class comment); all zero for an empty window. Read-only. */
  fineCounts(): ArrayLike<number> {
    return this.bins.view();
  }

  /** Adds one value; NaN is recorded as missing, ±Infinity as out of range. */
  add(x: number): void {
    if (Number.isNaN(x)) {
      this.missingCount++;
      return;
    }
    const edges = this.ref.edges;
    const i = countBelow(edges, x);
    const bin = i < edges.length && edges[i] === x ? 2 * i + 1 : 2 * i;
    this.bins.increment(bin);
    this.nonMissing++;
    if (x < this.ref.min || x > this.ref.max) this.outOfRangeCount++;
  }

  addMissing(): void {
    this.missingCount++;
  }

  /** Saves the state for a rollback (see BinCounts.saveState); returns what writes it back. */
  saveState(stash: NumberStash): () => void {
    const bins = this.bins.saveState(stash);
    const { nonMissing, missingCount, outOfRangeCount } = this;
    return () => {
      bins();
      this.nonMissing = nonMissing;
      this.missingCount = missingCount;
      this.outOfRangeCount = outOfRangeCount;
    };
  }

  merge(o: NumericFeatureState): void {
    this.checkSameReference(o);
    this.bins.add(o.bins);
    this.nonMissing += o.nonMissing;
    this.missingCount += o.missingCount;
    this.outOfRangeCount += o.outOfRangeCount;
  }

  /** Removes a state that was merged (or whose values were added) earlier; exact. */
  subtract(o: NumericFeatureState): void {
    this.checkSameReference(o);
    const nonMissing = checkedDifference(this.nonMissing, o.nonMissing);
    const missing = checkedDifference(this.missingCount, o.missingCount);
    const outOfRange = checkedDifference(this.outOfRangeCount, o.outOfRangeCount);
    this.bins.subtract(o.bins);
    this.nonMissing = nonMissing;
    this.missingCount = missing;
    this.outOfRangeCount = outOfRange;
  }

  clear(): void {
    this.bins.clear();
    this.nonMissing = 0;
    this.missingCount = 0;
    this.outOfRangeCount = 0;
  }

  private checkSameReference(o: NumericFeatureState): void {
    if (o.ref !== this.ref && o.ref.edges.length !== this.ref.edges.length) {
      throw new RangeError('states built on different references');
    }
  }
}
