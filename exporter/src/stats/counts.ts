/** Count arrays shared by the window states. */

/** Checks that a scalar count stays non-negative after subtracting. */
export function checkedDifference(a: number, b: number): number {
  if (a < b) throw new RangeError('subtracting a state that was not merged in');
  return a - b;
}

/**
 * What a state is for, which decides how wide its counts start:
 * - `bucket`: one time bucket of a sliding window. Most states are buckets (a 1 h window at
 *   5-minute resolution has 12 per total), so they start with 16-bit counts.
 * - `total`: a window total or a standalone state; 64-bit float counts (exact up to 2^53).
 */
export type CountRole = 'bucket' | 'total';

type CountArray = Uint16Array | Uint32Array | Float64Array;

const LIMIT_16 = 0xffff;
const LIMIT_32 = 0xffffffff;
const LIMIT_F64 = Number.MAX_SAFE_INTEGER;

/**
 * A fixed-size vector of non-negative integer counts, allocated in full when the state is
 * created, so memory is fixed by `size` and never grows with traffic.
 *
 * Bucket counts start at 16 bits, which halves the dominant memory of the fleet (buckets of
 * hundreds of fine bins per feature). A count that would pass 65,535 — a bucket interval with
 * that many values in one bin — widens the array once to 32 bits (then to float64 past 2^32),
 * never wrapping: memory stays bounded by the widest form, reached in the first window of
 * heavy traffic and flat afterwards.
 */
export class BinCounts {
  private a: CountArray;
  private limit: number;

  constructor(
    readonly size: number,
    role: CountRole = 'total',
  ) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError('count vector size must be a non-negative integer');
    this.a = role === 'bucket' ? new Uint16Array(size) : new Float64Array(size);
    this.limit = role === 'bucket' ? LIMIT_16 : LIMIT_F64;
  }

  get(i: number): number {
    return this.a[i];
  }

  increment(i: number, by = 1): void {
    const n = this.a[i] + by;
    if (n < 0) throw new RangeError('a count would go negative');
    if (n > this.limit) this.widen(n);
    this.a[i] = n;
  }

  /** The counts themselves (callers must not modify them); valid until the next write. */
  view(): ArrayLike<number> {
    return this.a;
  }

  /** A float64 copy of the counts. */
  toArray(): Float64Array {
    return Float64Array.from(this.a);
  }

  add(o: BinCounts): void {
    if (o.size !== this.size) throw new RangeError('count vectors of different shape');
    const src = o.a;
    let dst = this.a;
    for (let i = 0; i < src.length; i++) {
      const s = src[i];
      if (s === 0) continue;
      const n = dst[i] + s;
      if (n > this.limit) {
        this.widen(n);
        dst = this.a;
      }
      dst[i] = n;
    }
  }

  /** Whether subtracting o leaves every count non-negative. */
  covers(o: BinCounts): boolean {
    if (o.size !== this.size) return false;
    const src = o.a;
    const dst = this.a;
    for (let i = 0; i < src.length; i++) if (dst[i] < src[i]) return false;
    return true;
  }

  /** Subtracts o, refusing (and changing nothing) when a count would go negative. */
  subtract(o: BinCounts): void {
    if (!this.covers(o)) throw new RangeError('subtracting a state that was not merged in');
    const src = o.a;
    const dst = this.a;
    for (let i = 0; i < src.length; i++) dst[i] -= src[i];
  }

  /** Zeroes the counts, keeping the array (and its width) for the next use. */
  clear(): void {
    this.a.fill(0);
  }

  private widen(needed: number): void {
    if (needed > LIMIT_F64) throw new RangeError('count beyond 2^53');
    if (needed <= LIMIT_32 && this.limit < LIMIT_32) {
      this.a = Uint32Array.from(this.a);
      this.limit = LIMIT_32;
    } else {
      this.a = Float64Array.from(this.a);
      this.limit = LIMIT_F64;
    }
  }
}
