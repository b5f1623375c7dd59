/** Count arrays shared by the window states. */

/** Checks that a scalar count stays non-negative after subtracting. */
export function checkedDifference(a: number, b: number): number {
  if (a < b) throw new RangeError('subtracting a state that was not merged in');
  return a - b;
}

type CountArray = Uint16Array | Uint32Array | Float64Array;

/**
 * Where a state saved for a rollback puts its numbers: a scratch area reused from one save to
 * the next (windows/txn.ts), so that saving allocates no ArrayBuffer — short-lived buffers make
 * V8 collect far more often.
 */
export interface NumberStash {
  /** Copies a[off, off+n) aside; returns where, for `load`. */
  put(a: CountArray, off: number, n: number): number;
  /** Writes back into a[off, off+n) what `put` returned `at` for. */
  load(a: CountArray, off: number, n: number, at: number): void;
}

const LIMIT_16 = 0xffff;
const LIMIT_32 = 0xffffffff;
const LIMIT_F64 = Number.MAX_SAFE_INTEGER;

/**
 * One count vector of `size` counts for each of `rows` states, in a single typed array (row r
 * at offset r·size). The rows widen together: memory is bounded by rows·size of the widest form.
 */
class CountColumn {
  a: CountArray;
  limit: number;

  constructor(
    readonly rows: number,
    readonly size: number,
    narrow: boolean,
  ) {
    this.a = narrow ? new Uint16Array(rows * size) : new Uint32Array(rows * size);
    this.limit = narrow ? LIMIT_16 : LIMIT_32;
  }

  widen(needed: number): void {
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

/**
 * The counts of every bucket of one sliding window. A window of B buckets holds the same count
 * vectors B times; keeping each vector's B copies in one typed array (a column) instead of B
 * arrays means one ArrayBuffer per window and vector rather than one per bucket — at 1,000
 * models × 20 features, ~30k buffers instead of ~400k, which is heap the garbage collector no
 * longer walks on every major collection.
 *
 * States ask for their vectors by a key of their own (e.g. 2c and 2c+1 for class c's two
 * histograms); the first row to ask allocates the column for every row, so a ring reaches its
 * full size when the first bucket does, and stays flat afterwards.
 */
export class CountRing {
  private readonly columns = new Map<number, CountColumn>();

  constructor(readonly rows: number) {
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError('a count ring needs at least one row');
  }

  /** Saves which columns the ring has, for a rollback (windows/txn.ts); returns what puts them back. */
  saveState(): () => void {
    const columns = [...this.columns];
    return () => {
      this.columns.clear();
      for (const [k, c] of columns) this.columns.set(k, c);
    };
  }

  /** Frees the column of `key` (every row's vector of that key must be dropped with it). */
  release(key: number): void {
    this.columns.delete(key);
  }

  column(key: number, size: number): CountColumn {
    let c = this.columns.get(key);
    if (!c) this.columns.set(key, (c = new CountColumn(this.rows, size, true)));
    else if (c.size !== size) throw new RangeError('states of one window must have count vectors of the same shape');
    return c;
  }
}

/** Row `row` of a window's CountRing: what a bucket state allocates its counts in. */
export interface RingRow {
  ring: CountRing;
  row: number;
}

/**
 * What a state is for, which decides where its counts live and how wide they start:
 * - a RingRow: one time bucket of a sliding window; counts in the ring's shared columns,
 *   16-bit to start with (a 1 h window at 5-minute resolution has 12 buckets per total).
 * - `bucket`: a standalone bucket (its own one-row ring), 16-bit to start with.
 * - `total`: a window total or a standalone state; 32-bit to start with.
 */
export type CountRole = 'bucket' | 'total' | RingRow;

/**
 * A fixed-size vector of non-negative integer counts, allocated in full when the state is
 * created, so memory is fixed by `size` and never grows with traffic.
 *
 * Bucket counts start at 16 bits, totals at 32, which halves the dominant memory of the fleet
 * (hundreds of fine bins per feature). A count that would pass the width's maximum — a bucket
 * interval with 65,536 values in one bin — widens the array once to 32 bits (then to float64,
 * exact to 2^53), never wrapping: memory stays bounded by the widest form, reached in the
 * first window of heavy traffic and flat afterwards.
 */
export class BinCounts {
  private readonly col: CountColumn;
  /** Offset of this vector's first count in col.a. */
  private readonly off: number;

  /** `key` tells apart the vectors of one state when they share a ring (see CountRing). */
  constructor(
    readonly size: number,
    role: CountRole = 'total',
    key = 0,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError('count vector size must be a non-negative integer');
    if (typeof role === 'object') {
      if (!Number.isInteger(role.row) || role.row < 0 || role.row >= role.ring.rows) throw new RangeError('row outside the count ring');
      this.col = role.ring.column(key, size);
      this.off = role.row * size;
    } else {
      this.col = new CountColumn(1, size, role === 'bucket');
      this.off = 0;
    }
  }

  get(i: number): number {
    return this.col.a[this.off + i];
  }

  increment(i: number, by = 1): void {
    const col = this.col;
    const j = this.off + i;
    const n = col.a[j] + by;
    if (n < 0) throw new RangeError('a count would go negative');
    if (n > col.limit) col.widen(n);
    col.a[j] = n;
  }

  /** The counts themselves (callers must not modify them); valid until the next write. */
  view(): ArrayLike<number> {
    const a = this.col.a;
    return this.off === 0 && a.length === this.size ? a : a.subarray(this.off, this.off + this.size);
  }

  /** A float64 copy of the counts. */
  toArray(): Float64Array {
    return Float64Array.from(this.view());
  }

  add(o: BinCounts): void {
    if (o.size !== this.size) throw new RangeError('count vectors of different shape');
    const src = o.col.a;
    const so = o.off;
    const col = this.col;
    let dst = col.a;
    const d0 = this.off;
    for (let i = 0; i < this.size; i++) {
      const s = src[so + i];
      if (s === 0) continue;
      const n = dst[d0 + i] + s;
      if (n > col.limit) {
        col.widen(n);
        dst = col.a;
      }
      dst[d0 + i] = n;
    }
  }

  /** Whether subtracting o leaves every count non-negative. */
  covers(o: BinCounts): boolean {
    if (o.size !== this.size) return false;
    const src = o.col.a;
    const so = o.off;
    const dst = this.col.a;
    const d0 = this.off;
    for (let i = 0; i < this.size; i++) if (dst[d0 + i] < src[so + i]) return false;
    return true;
  }

  /** Subtracts o, refusing (and changing nothing) when a count would go negative. */
  subtract(o: BinCounts): void {
    if (!this.covers(o)) throw new RangeError('subtracting a state that was not merged in');
    const src = o.col.a;
    const so = o.off;
    const dst = this.col.a;
    const d0 = this.off;
    for (let i = 0; i < this.size; i++) dst[d0 + i] -= src[so + i];
  }

  /**
   * Saves this vector (only its own row of a shared column) and returns what writes it back,
   * with the column's width as it was. Ingest's transactions (windows/txn.ts) call it instead
   * of copying the whole column: a batch touches one row of a window's ring. A column widened
   * since is narrowed back by the earliest save, whose rows the batch had not changed yet.
   */
  saveState(stash: NumberStash): () => void {
    const col = this.col;
    const { a, limit } = col;
    const { off, size } = this;
    const at = stash.put(a, off, size);
    return () => {
      col.a = a;
      col.limit = limit;
      stash.load(a, off, size, at);
    };
  }

  /** Zeroes the counts, keeping the storage (and its width) for the next use. */
  clear(): void {
    this.col.a.fill(0, this.off, this.off + this.size);
  }
}
