/**
 * Count arrays shared by the window states. Counts are integers kept in Float64Array (exact
 * up to 2^53); they are allocated lazily so that an empty window bucket costs no array.
 */

/** target[i] += source[i]. */
export function addCounts(target: Float64Array, source: Float64Array): void {
  if (target.length !== source.length) throw new RangeError('count arrays of different shape');
  for (let i = 0; i < source.length; i++) target[i] += source[i];
}

/**
 * target[i] -= source[i], refusing (and changing nothing) when a count would go negative:
 * that only happens when subtracting something that was never merged in.
 */
export function subtractCounts(target: Float64Array, source: Float64Array): void {
  if (target.length !== source.length) throw new RangeError('count arrays of different shape');
  for (let i = 0; i < source.length; i++) {
    if (target[i] < source[i]) throw new RangeError('subtracting a state that was not merged in');
  }
  for (let i = 0; i < source.length; i++) target[i] -= source[i];
}

/** Checks that a scalar count stays non-negative after subtracting. */
export function checkedDifference(a: number, b: number): number {
  if (a < b) throw new RangeError('subtracting a state that was not merged in');
  return a - b;
}

/**
 * A fixed-size vector of bin counts that stays sparse while few bins are used. Window buckets
 * (a minute of traffic) touch few of the hundreds of fine bins, so they hold a small map;
 * once more than size/16 bins are used the counts move to a dense array. Either way the size
 * is bounded by `size`, never by traffic.
 */
export class BinCounts {
  private dense: Float64Array | undefined;
  private sparse: Map<number, number> | undefined;

  constructor(readonly size: number) {}

  get(i: number): number {
    return this.dense ? this.dense[i] : (this.sparse?.get(i) ?? 0);
  }

  increment(i: number, by = 1): void {
    if (this.dense) {
      this.dense[i] += by;
      return;
    }
    this.sparse ??= new Map();
    const n = (this.sparse.get(i) ?? 0) + by;
    if (n === 0) this.sparse.delete(i);
    else this.sparse.set(i, n);
    if (this.sparse.size > Math.max(8, this.size / 16)) this.densify();
  }

  /** Dense copy of the counts (or the dense array itself; callers must not modify it). */
  toArray(): Float64Array {
    if (this.dense) return this.dense;
    const out = new Float64Array(this.size);
    if (this.sparse) for (const [i, n] of this.sparse) out[i] = n;
    return out;
  }

  /** Calls f for every bin whose count is not zero (in no particular order). */
  forEachNonZero(f: (i: number, n: number) => void): void {
    if (this.dense) {
      for (let i = 0; i < this.dense.length; i++) if (this.dense[i] !== 0) f(i, this.dense[i]);
    } else if (this.sparse) {
      for (const [i, n] of this.sparse) f(i, n);
    }
  }

  add(o: BinCounts): void {
    if (o.size !== this.size) throw new RangeError('count vectors of different shape');
    o.forEachNonZero((i, n) => this.increment(i, n));
  }

  /** Whether subtracting o leaves every count non-negative. */
  covers(o: BinCounts): boolean {
    if (o.size !== this.size) return false;
    let ok = true;
    o.forEachNonZero((i, n) => {
      if (this.get(i) < n) ok = false;
    });
    return ok;
  }

  /** Subtracts o, refusing (and changing nothing) when a count would go negative. */
  subtract(o: BinCounts): void {
    if (!this.covers(o)) throw new RangeError('subtracting a state that was not merged in');
    o.forEachNonZero((i, n) => this.increment(i, -n));
  }

  clear(): void {
    this.dense = undefined;
    this.sparse = undefined;
  }

  private densify(): void {
    this.dense = this.toArray();
    this.sparse = undefined;
  }
}
