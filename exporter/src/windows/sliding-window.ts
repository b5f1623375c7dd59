import { CountRing, type CountRole } from '../stats/counts.js';
import { activeTxn } from './txn.js';

/** What a window needs from a state: merging two states equals computing over their union. */
export interface Mergeable<S> {
  merge(other: S): void;
  subtract(other: S): void;
  clear(): void;
}

/**
 * A sliding window as a ring of time buckets plus a running total.
 *
 * Every bucket (and the total) is allocated up front, when the window is created, so memory
 * is flat however long traffic runs. Writers add each observation to its bucket AND to the
 * total; when a bucket falls out of the window, it is subtracted from the total and cleared.
 * Scrapes read `total` directly, so their cost does not depend on the number of buckets.
 *
 * The window covers the `bucketCount` most recent bucket intervals, the current (partial) one
 * included, so its effective length is between (bucketCount-1) and bucketCount intervals.
 */
export class SlidingWindow<S extends Mergeable<S>> {
  readonly total: S;
  private readonly buckets: S[];
  /**
   * Epoch (time / bucketMs, floored) each slot currently holds; -Infinity when empty. A plain
   * array (it lives in the V8 heap) rather than a Float64Array: one ArrayBuffer less per window.
   */
  private readonly slotEpoch: number[];
  private currentEpoch = -Infinity;
  /** The transaction (txn.ts) this window last saved itself in, and the slots it saved there. */
  private txnId = 0;
  private txnSlots?: boolean[];
  private lastSaved = -1;

  /**
   * `make` builds each state; it is told whether the state is the total or which row of the
   * window's CountRing a bucket is, so that bucket states keep their counts in the ring's shared
   * arrays, narrow to start with (there are bucketCount buckets for one total).
   */
  constructor(
    make: (role: CountRole) => S,
    readonly bucketMs: number,
    readonly bucketCount: number,
  ) {
    if (!(bucketMs > 0) || !Number.isInteger(bucketCount) || bucketCount < 1) throw new RangeError('bad window geometry');
    this.total = make('total');
    const ring = new CountRing(bucketCount);
    this.buckets = Array.from({ length: bucketCount }, (_, row) => make({ ring, row }));
    this.slotEpoch = new Array<number>(bucketCount).fill(-Infinity);
  }

  /** The interval (time / bucketMs, floored) the window last moved to; -Infinity before it first moved. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** The start (ms) of the bucket the window last moved to; -Infinity before it first moved. */
  get time(): number {
    return this.currentEpoch * this.bucketMs;
  }

  /**
   * Moves the window to `now`, expiring buckets that slid out. Cheap when nothing changed.
   * Returns whether a bucket was expired (so the total may have changed).
   */
  advance(now: number): boolean {
    const epoch = Math.floor(now / this.bucketMs);
    if (epoch <= this.currentEpoch) return false;
    const txn = activeTxn() !== undefined;
    if (txn) this.saveInTxn(-1);
    this.currentEpoch = epoch;
    const oldest = epoch - this.bucketCount + 1;
    let expired = false;
    for (let slot = 0; slot < this.bucketCount; slot++) {
      const held = this.slotEpoch[slot];
      if (held !== -Infinity && held < oldest) {
        if (txn) this.saveInTxn(slot);
        this.total.subtract(this.buckets[slot]);
        this.buckets[slot].clear();
        this.slotEpoch[slot] = -Infinity;
        expired = true;
      }
    }
    return expired;
  }

  /**
   * The bucket an observation at time `t` belongs in, after `advance(now)`; undefined when `t`
   * is older than the window. Future times are clamped to the current bucket.
   */
  bucketAt(t: number): S | undefined {
    let epoch = Math.floor(t / this.bucketMs);
    if (epoch > this.currentEpoch) epoch = this.currentEpoch;
    if (epoch <= this.currentEpoch - this.bucketCount) return undefined;
    const slot = ((epoch % this.bucketCount) + this.bucketCount) % this.bucketCount;
    // Hot path: one comparison when this slot was the last one saved in the running transaction.
    const txn = activeTxn();
    if (txn !== undefined && this.lastSaved !== txn.id * this.bucketCount + slot) this.saveInTxn(slot);
    this.slotEpoch[slot] = epoch;
    return this.buckets[slot];
  }

  /**
   * Inside a transaction (txn.ts), saves this window's epochs and total the first time it is
   * touched, and bucket `slot` (-1: none) the first time that one is: a caller that gets a
   * bucket from bucketAt writes to it and to the total, nothing else.
   */
  private saveInTxn(slot: number): void {
    const txn = activeTxn()!;
    if (this.txnId !== txn.id) {
      this.txnId = txn.id;
      this.txnSlots = new Array<boolean>(this.bucketCount).fill(false);
      const epoch = this.currentEpoch;
      const slots = this.slotEpoch.slice();
      txn.onRollback(() => {
        this.currentEpoch = epoch;
        for (let i = 0; i < slots.length; i++) this.slotEpoch[i] = slots[i];
      });
      txn.save(this.total);
    }
    if (slot >= 0 && !this.txnSlots![slot]) {
      this.txnSlots![slot] = true;
      txn.save(this.buckets[slot]);
    }
    if (slot >= 0) this.lastSaved = txn.id * this.bucketCount + slot;
  }

  /** Calls f on the total and on every bucket (e.g. to size them all at once). */
  forEachState(f: (s: S) => void): void {
    if (activeTxn() !== undefined) for (let slot = -1; slot < this.bucketCount; slot++) this.saveInTxn(slot);
    f(this.total);
    for (const b of this.buckets) f(b);
  }

  /** Empties every bucket and the total. */
  clear(): void {
    if (activeTxn() !== undefined) for (let slot = -1; slot < this.bucketCount; slot++) this.saveInTxn(slot);
    for (const b of this.buckets) b.clear();
    this.total.clear();
    this.slotEpoch.fill(-Infinity);
  }
}
