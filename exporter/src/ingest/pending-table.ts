import type { PendingPrediction } from './model-state.js';
import type { VersionState } from './version-state.js';
import { activeTxn } from '../windows/txn.js';

const NO_NAME = 0;
/** predName is the class name at index `pred` (the common case: nothing stored). */
const NAME_IS_CLASS = 1;
/** predName differs (folded class): kept in `names`. */
const NAME_APART = 2;
const HAS_PROBS = 4;
const HAS_FOLDED = 8;
const MAX_VERSIONS = 0xffff;

/**
 * The predictions of one model waiting for their labels, in insertion order (the first is the
 * oldest: evicted first), with the Map subset the join uses (get, set, delete, size, keys,
 * iteration). Rather than an object per prediction, the fields live in typed columns indexed by
 * a slot, and the id maps to its slot: per entry one Map entry (id → small integer), the id
 * string, and 43 bytes of columns — about 106 to 132 bytes instead of 180 to 205 for a Map of objects
 * (measured by `npm run bench`-style counting of heap + array buffers; see README). Multiclass
 * probability vectors and folded class names, rarer, stay in side maps.
 *
 * Inside an ingest transaction (windows/txn.ts) the table keeps an undo record instead of a
 * copy (it holds up to 100k entries): every entry has an insertion number, entries added since
 * the transaction began are the ones numbered from its mark, and the older entries it deletes
 * are kept aside; a rollback drops the former, puts the latter back and restores the order by
 * insertion number.
 */
export class PendingTable implements Iterable<[string, PendingPrediction]> {
  private readonly slots = new Map<string, number>();
  private capacity = 0;
  private pred = new Float64Array(0);
  private score = new Float64Array(0);
  private at = new Float64Array(0);
  private arrived = new Float64Array(0);
  private flags = new Uint8Array(0);
  private version = new Uint16Array(0);
  private free: number[] = [];
  private next = 0;
  private readonly names = new Map<number, string>();
  private readonly probs = new Map<number, Float64Array>();
  private readonly folded = new Map<number, Array<[string, number]>>();
  private versions: VersionState[] = [];
  private readonly versionIndex = new Map<VersionState, number>();
  /** Insertion number of each slot's entry (the order a rollback restores). */
  private seq = new Float64Array(0);
  private nextSeq = 0;
  private txnId = 0;
  private txnMark = 0;
  private txnRemoved: Array<[string, PendingPrediction, number]> = [];

  /** `className(i)`: the model's class name at index i, to store a predicted name as its index. */
  constructor(private readonly className: (i: number) => string | undefined) {}

  get size(): number {
    return this.slots.size;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  get(id: string): PendingPrediction | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.read(slot);
  }

  /** Adds (or replaces, moving it to the newest position) the prediction for `id`. */
  set(id: string, p: PendingPrediction): this {
    this.delete(id);
    this.touch();
    this.put(id, p, this.nextSeq++);
    return this;
  }

  private put(id: string, p: PendingPrediction, seq: number): void {
    const slot = this.free.length ? this.free.pop()! : this.grow();
    this.seq[slot] = seq;
    this.pred[slot] = p.pred;
    this.score[slot] = p.score ?? NaN;
    this.at[slot] = p.at ?? NaN;
    this.arrived[slot] = p.arrived ?? NaN;
    this.version[slot] = this.indexOf(p.version);
    let f = NO_NAME;
    if (p.predName !== undefined) {
      if (this.className(p.pred) === p.predName) f = NAME_IS_CLASS;
      else {
        f = NAME_APART;
        this.names.set(slot, p.predName);
      }
    }
    if (p.probs) {
      f |= HAS_PROBS;
      this.probs.set(slot, p.probs);
    }
    if (p.foldedScores) {
      f |= HAS_FOLDED;
      this.folded.set(slot, p.foldedScores);
    }
    this.flags[slot] = f;
    this.slots.set(id, slot);
  }

  delete(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    this.touch();
    if (activeTxn() !== undefined && this.seq[slot] < this.txnMark) this.txnRemoved.push([id, this.read(slot), this.seq[slot]]);
    this.slots.delete(id);
    if (this.flags[slot] & NAME_APART) this.names.delete(slot);
    if (this.flags[slot] & HAS_PROBS) this.probs.delete(slot);
    if (this.flags[slot] & HAS_FOLDED) this.folded.delete(slot);
    this.free.push(slot);
    return true;
  }

  /** Starts the undo record the first time a transaction changes the table. */
  private touch(): void {
    const txn = activeTxn();
    if (txn === undefined || txn.id === this.txnId) return;
    this.txnId = txn.id;
    this.txnMark = this.nextSeq;
    const removed: Array<[string, PendingPrediction, number]> = [];
    this.txnRemoved = removed;
    const mark = this.nextSeq;
    txn.onRollback(() => this.rollback(mark, removed));
  }

  /**
   * Replaces every binary score s by 1 − s: the model's positive class changed to its other class
   * (a score is P(positive class)), and the predictions still waiting for a label must be scored
   * as they were meant. Inside a transaction, a rollback puts the exact old scores back (1 − (1 − s)
   * need not be s in floating point), also in entries the transaction deleted after this call.
   */
  flipScores(): void {
    this.touch();
    const old = new Map<string, number>();
    for (const [id, slot] of this.slots) {
      const s = this.score[slot];
      if (Number.isNaN(s)) continue;
      old.set(id, s);
      this.score[slot] = 1 - s;
    }
    const txn = activeTxn();
    if (txn === undefined || old.size === 0) return;
    const removed = this.txnRemoved;
    const from = removed.length;
    const mark = this.txnMark;
    // Registered after the table's own undo (touch above), so it runs first: the table's undo then
    // reads the live entries and the deleted ones with their old scores.
    txn.onRollback(() => {
      for (const [id, slot] of this.slots) {
        const s = old.get(id);
        if (s !== undefined && this.seq[slot] < mark) this.score[slot] = s;
      }
      for (let i = from; i < removed.length; i++) {
        const s = old.get(removed[i][0]);
        if (s !== undefined && removed[i][2] < mark) removed[i][1].score = s;
      }
    });
  }

  /** Undoes a transaction: O(n log n), only on the failure path. */
  private rollback(mark: number, removed: Array<[string, PendingPrediction, number]>): void {
    const kept: Array<[string, PendingPrediction, number]> = [];
    for (const [id, slot] of this.slots) if (this.seq[slot] < mark) kept.push([id, this.read(slot), this.seq[slot]]);
    const all = kept.concat(removed).sort((a, b) => a[2] - b[2]);
    for (const id of [...this.slots.keys()]) this.delete(id);
    for (const [id, p, seq] of all) this.put(id, p, seq);
    this.nextSeq = mark;
    this.txnRemoved = [];
  }

  /** When the oldest entry started waiting (window time), without reading it whole; undefined when empty or unknown. */
  oldestArrival(): number | undefined {
    for (const slot of this.slots.values()) {
      const t = this.arrived[slot];
      return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
  }

  /** Ids, oldest first. */
  keys(): IterableIterator<string> {
    return this.slots.keys();
  }

  *[Symbol.iterator](): IterableIterator<[string, PendingPrediction]> {
    for (const [id, slot] of this.slots) yield [id, this.read(slot)];
  }

  private read(slot: number): PendingPrediction {
    const f = this.flags[slot];
    const p: PendingPrediction = { version: this.versions[this.version[slot]], pred: this.pred[slot] };
    if (f & NAME_IS_CLASS) p.predName = this.className(p.pred);
    else if (f & NAME_APART) p.predName = this.names.get(slot);
    const score = this.score[slot];
    if (!Number.isNaN(score)) p.score = score;
    const at = this.at[slot];
    if (!Number.isNaN(at)) p.at = at;
    const arrived = this.arrived[slot];
    if (!Number.isNaN(arrived)) p.arrived = arrived;
    if (f & HAS_PROBS) p.probs = this.probs.get(slot);
    if (f & HAS_FOLDED) p.foldedScores = this.folded.get(slot);
    return p;
  }

  private grow(): number {
    if (this.next === this.capacity) {
      const capacity = Math.max(64, this.capacity * 2);
      const widen = <T extends Float64Array | Uint8Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(capacity);
        b.set(a);
        return b;
      };
      this.pred = widen(this.pred, (n) => new Float64Array(n));
      this.score = widen(this.score, (n) => new Float64Array(n));
      this.at = widen(this.at, (n) => new Float64Array(n));
      this.arrived = widen(this.arrived, (n) => new Float64Array(n));
      this.flags = widen(this.flags, (n) => new Uint8Array(n));
      this.version = widen(this.version, (n) => new Uint16Array(n));
      this.seq = widen(this.seq, (n) => new Float64Array(n));
      this.capacity = capacity;
    }
    return this.next++;
  }

  /** Index of a version object; versions no entry refers to any more are dropped when the list is full. */
  private indexOf(v: VersionState): number {
    const known = this.versionIndex.get(v);
    if (known !== undefined) return known;
    if (this.versions.length >= MAX_VERSIONS) this.compactVersions();
    const i = this.versions.length;
    this.versions.push(v);
    this.versionIndex.set(v, i);
    return i;
  }

  private compactVersions(): void {
    const used = new Map<number, number>();
    const kept: VersionState[] = [];
    for (const slot of this.slots.values()) {
      const old = this.version[slot];
      let now = used.get(old);
      if (now === undefined) {
        used.set(old, (now = kept.length));
        kept.push(this.versions[old]);
      }
      this.version[slot] = now;
    }
    this.versions = kept;
    this.versionIndex.clear();
    kept.forEach((v, i) => this.versionIndex.set(v, i));
  }
}
