import type { VersionState } from './version-state.js';
import { activeTxn } from '../windows/txn.js';

const ADDED = 0;
const REPLACED = 1;
const EVICTED = 2;
const COMPACTED = 3;
const STALE = 4;

/**
 * Ids whose label has joined, oldest first, with their version: a FIFO with membership. Ids of
 * predictions that expired waiting for their label are kept here too, marked `expired`: a
 * repeat of one is not counted again, and a label for one is told apart from a label for an id
 * never seen. A Map
 * alone would do, but evicting its oldest key through `keys().next()` walks over every entry
 * deleted before it until V8 compacts the table — the cost grows with the churn. Here the order
 * lives in an array with a moving start (compacted when half of it is dead), so eviction is O(1).
 * Inside an ingest transaction (windows/txn.ts) each change is logged (a compaction too), so a
 * rollback puts every id back where it was.
 */
export class RecentIds implements Iterable<[string, VersionState]> {
  private readonly versions = new Map<string, VersionState>();
  /** The ids among `versions` whose prediction expired instead of being labelled. */
  private readonly expiredIds = new Set<string>();
  private order: Array<string | undefined> = [];
  private start = 0;
  /**
   * How many of this table's entries in the fleet-wide queue (label-join.ts) stand for ids it
   * has already evicted itself (per-model bound). They are always its oldest entries there, since
   * both orders are insertion order, so the fleet skips that many before evicting one of ours.
   */
  private stale = 0;
  /** Set when the model is forgotten: its entries in the fleet queue are dead. */
  retired = false;

  get size(): number {
    return this.versions.size;
  }

  has(id: string): boolean {
    return this.versions.has(id);
  }

  get(id: string): VersionState | undefined {
    return this.versions.get(id);
  }

  /** Whether `id` is remembered as a prediction that expired waiting for its label. */
  isExpired(id: string): boolean {
    return this.expiredIds.has(id);
  }

  /**
   * Adds `id` as the newest (`expired`: its prediction expired rather than being labelled); false
   * when it was there already (its version and mark are then replaced).
   */
  add(id: string, v: VersionState, expired = false): boolean {
    const log = this.undoLog();
    const old = this.versions.get(id);
    const wasExpired = this.expiredIds.has(id);
    this.versions.set(id, v);
    this.mark(id, expired);
    if (old !== undefined) {
      log?.push(id, old, wasExpired, REPLACED);
      return false;
    }
    this.order.push(id);
    log?.push(id, ADDED);
    return true;
  }

  /** Forgets the oldest id; false when empty. */
  evictOldest(): boolean {
    const start = this.start;
    while (this.start < this.order.length) {
      const at = this.start;
      const id = this.order[at];
      this.order[this.start++] = undefined;
      const v = id === undefined ? undefined : this.versions.get(id);
      if (id !== undefined && this.versions.delete(id)) {
        const wasExpired = this.expiredIds.delete(id);
        this.undoLog()?.push(at, id, v, wasExpired, start, EVICTED);
        this.compact();
        return true;
      }
    }
    return false;
  }

  /** Forgets the oldest id under the per-model bound: its fleet-queue entry becomes stale. */
  evictOwn(): boolean {
    if (!this.evictOldest()) return false;
    this.setStale(this.stale + 1);
    return true;
  }

  /**
   * Takes the fleet queue's oldest entry of this table: skips a stale one, else forgets the
   * oldest id. True when an id was forgotten.
   */
  evictForFleet(): boolean {
    if (this.retired) return false;
    if (this.stale > 0) {
      this.setStale(this.stale - 1);
      return false;
    }
    return this.evictOldest();
  }

  /** The stale count, reset to 0 (the fleet queue is dropping those entries as it compacts). */
  takeStale(): number {
    const n = this.stale;
    if (n) this.setStale(0);
    return n;
  }

  private mark(id: string, expired: boolean): void {
    if (expired) this.expiredIds.add(id);
    else this.expiredIds.delete(id);
  }

  private setStale(n: number): void {
    this.undoLog()?.push(this.stale, STALE);
    this.stale = n;
  }

  /**
   * Inside an ingest transaction, the log of this table's changes (flat: each record's fields,
   * then its kind), rolled back as one step; undefined outside one.
   */
  private undoLog(): unknown[] | undefined {
    const txn = activeTxn();
    if (txn === undefined) return undefined;
    if (txn.id !== this.txnId) {
      this.txnId = txn.id;
      const log: unknown[] = [];
      this.log = log;
      txn.onRollback(() => this.rollback(log));
    }
    return this.log;
  }
  private txnId = 0;
  private log: unknown[] = [];

  /** Undoes the logged changes, newest first. */
  private rollback(log: unknown[]): void {
    while (log.length) {
      const kind = log.pop();
      if (kind === ADDED) {
        const id = log.pop() as string;
        this.versions.delete(id);
        this.expiredIds.delete(id);
        this.order.pop();
      } else if (kind === REPLACED) {
        const wasExpired = log.pop() as boolean;
        const old = log.pop() as VersionState;
        const id = log.pop() as string;
        this.versions.set(id, old);
        this.mark(id, wasExpired);
      } else if (kind === EVICTED) {
        const start = log.pop() as number;
        const wasExpired = log.pop() as boolean;
        const v = log.pop() as VersionState;
        const id = log.pop() as string;
        const at = log.pop() as number;
        this.order[at] = id;
        this.versions.set(id, v);
        this.mark(id, wasExpired);
        this.start = start;
      } else if (kind === STALE) {
        this.stale = log.pop() as number;
      } else {
        this.start = log.pop() as number;
        this.order = log.pop() as Array<string | undefined>;
      }
    }
  }

  *[Symbol.iterator](): IterableIterator<[string, VersionState]> {
    for (let i = this.start; i < this.order.length; i++) {
      const id = this.order[i];
      if (id !== undefined) yield [id, this.versions.get(id)!];
    }
  }

  private compact(): void {
    if (this.start < 1024 || this.start * 2 < this.order.length) return;
    const { order, start } = this;
    this.order = order.slice(start);
    this.start = 0;
    // The old array is left as it was: undo records logged before this one index into it.
    this.undoLog()?.push(order, start, COMPACTED);
  }
}
