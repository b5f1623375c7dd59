/**
 * Savepoints for applying one ingest batch all-or-nothing (issue 11 §1): copy-on-first-touch.
 *
 * While a transaction runs (`transaction(f)`), each mutable structure saves what it holds the
 * first time the batch touches it — a window its current bucket and total (sliding-window.ts),
 * a version its counters, a model its names and maps, the join tables an undo record — and an
 * exception anywhere in `f` writes every saved structure back, in place (object identities
 * are kept: states share count rings and score grids). A batch touches one model and usually one
 * bucket per window, so the cost is a few small copies per batch instead of a full snapshot
 * (figures: `npm run bench`, BENCH_ONLY=ingest).
 *
 * Single-threaded by construction: ingest applies a batch without yielding, so at most one
 * transaction is active; a nested `transaction` joins the outer one.
 */
export class Txn {
  /** Distinguishes transactions, so a structure can tell "saved in this one" by a number. */
  readonly id: number;
  private readonly seen = new Set<object>();
  private readonly undo: Array<() => void> = [];

  constructor(id: number) {
    this.id = id;
  }

  /** Saves `obj` and everything it reaches (see `capture`), once per transaction. */
  save(obj: object): void {
    if (this.seen.has(obj)) return;
    capture(obj, this.seen, this.undo);
  }

  /**
   * Saves `obj`'s own fields once per transaction: their values, and the contents of the
   * arrays, typed arrays, Maps and Sets it holds directly — not the objects inside those
   * (each saves itself when touched).
   */
  saveFields(obj: object): void {
    if (this.seen.has(obj)) return;
    this.seen.add(obj);
    const keys = Object.keys(obj);
    const values = keys.map((k) => (obj as Record<string, unknown>)[k]);
    for (const v of values) if (v !== null && typeof v === 'object' && !this.seen.has(v) && isContainer(v)) this.contents(v);
    this.undo.push(() => restoreFields(obj, keys, values));
  }

  /** Saves the contents of an array, typed array, Map or Set (not the objects in it), once per transaction. */
  saveContents(v: object): void {
    if (!this.seen.has(v)) this.contents(v);
  }

  /** Runs `f` on rollback (after the undo steps recorded later than it). */
  onRollback(f: () => void): void {
    this.undo.push(f);
  }

  /** Writes every saved structure back, newest first. */
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]();
  }

  private contents(v: object): void {
    this.seen.add(v);
    saveContainer(v, this.undo);
  }
}

import type { NumberStash } from '../stats/counts.js';
import { ScoreGrid } from '../stats/adaptive-grid.js';

/**
 * The numbers typed arrays save go to: one Float64Array reused by every transaction (exact for
 * every count and float64 value), grown when a batch needs more. Only the running transaction's
 * rollback reads it.
 */
let arena = new Float64Array(1 << 16);
let arenaUsed = 0;
const stash: NumberStash = {
  put(a, off, n) {
    if (arenaUsed + n > arena.length) {
      const wider = new Float64Array(Math.max(arena.length * 2, arenaUsed + n));
      wider.set(arena.subarray(0, arenaUsed));
      arena = wider;
    }
    const at = arenaUsed;
    for (let i = 0; i < n; i++) arena[at + i] = a[off + i];
    arenaUsed += n;
    return at;
  },
  load(a, off, n, at) {
    for (let i = 0; i < n; i++) a[off + i] = arena[at + i];
  },
};

type Numbers = Uint16Array | Uint32Array | Float64Array;

/** Objects no batch changes (reference profiles), which `capture` does not copy. */
const shared = new WeakSet<object>();

/** Declares `obj` read-only for ingest (e.g. a reference profile the window states point to): never saved. */
export function markShared(obj: object): void {
  shared.add(obj);
}

let active: Txn | undefined;
let nextId = 1;

// A score grid is shared by every state of its window: it saves its cells when it is about to
// add one, and the states it is about to move counts for (see ScoreGrid), not whenever a state is.
ScoreGrid.beforeChange = (obj) => active?.save(obj);

/** The running transaction, if any (hot paths compare `id` to skip what they saved already). */
export function activeTxn(): Txn | undefined {
  return active;
}

/** Saves `obj`'s own fields in the running transaction, if any (see Txn.saveFields). */
export function touchFields(obj: object): void {
  active?.saveFields(obj);
}

/** Saves `obj` deeply in the running transaction, if any (see Txn.save). */
export function touchDeep(obj: object): void {
  active?.save(obj);
}

/**
 * Runs `f`; if it throws, every structure it touched is written back as it was before, then
 * the exception propagates. Inside another transaction, `f` just joins it.
 */
export function transaction<T>(f: () => T): T {
  if (active) return f();
  const txn = new Txn(nextId++);
  active = txn;
  arenaUsed = 0;
  try {
    return f();
  } catch (err) {
    active = undefined; // what the rollback writes back is not itself recorded
    txn.rollback();
    throw err;
  } finally {
    active = undefined;
  }
}

/**
 * Like `transaction`, for a caller that commits elsewhere after `f` returned (a reference
 * upload's store transaction): on success it also returns `undo`, which writes back everything
 * `f` changed, should that commit fail. `undo` is exact only while nothing else has changed what
 * `f` touched since; the caller keeps other batches and checkpoints out until it has committed
 * or undone (src/durable/journal.ts). Not nestable: `f` runs as the outermost transaction.
 */
export function undoableTransaction<T>(f: () => T): { result: T; undo: () => void } {
  if (active) throw new Error('undoableTransaction inside another transaction');
  let txn!: Txn;
  const result = transaction(() => {
    txn = active!;
    return f();
  });
  // The shared arena is reused by the next transaction: this one's saved numbers are copied out.
  const kept = arena.slice(0, arenaUsed);
  return {
    result,
    undo: () => {
      const live = arena;
      arena = kept;
      try {
        txn.rollback();
      } finally {
        arena = live;
      }
    },
  };
}

function isContainer(v: object): boolean {
  return ArrayBuffer.isView(v) || Array.isArray(v) || v instanceof Map || v instanceof Set;
}

/**
 * Saves `obj` and, recursively, every object it reaches through own fields, array elements
 * and Map/Set entries (shared objects once; objects marked shared not at all). An object with a
 * `saveState(): () => void` method saves itself (e.g. one row of a count column). For the window
 * states: plain fields, count vectors, count rings and score grids. Callers only pass state
 * that does not reach versions or models.
 */
function capture(obj: object, seen: Set<object>, undo: Array<() => void>): void {
  const stack: object[] = [obj];
  seen.add(obj);
  const visit = (v: unknown) => {
    if (v !== null && typeof v === 'object' && !seen.has(v) && !shared.has(v) && !(v instanceof ScoreGrid)) {
      seen.add(v);
      stack.push(v);
    }
  };
  while (stack.length) {
    const o = stack.pop()!;
    const own = (o as { saveState?: (s: NumberStash) => () => void }).saveState;
    if (typeof own === 'function') {
      undo.push(own.call(o, stash));
    } else if (!saveContainer(o, undo, visit) && typeof o !== 'function') {
      const keys = Object.keys(o);
      const values = keys.map((k) => (o as Record<string, unknown>)[k]);
      for (const x of values) visit(x);
      undo.push(() => restoreFields(o, keys, values));
    }
  }
}

/**
 * Saves a container's own contents (typed array, array, Map, Set) for the rollback, passing what
 * it holds to `visit` when given (a deep save); false when `v` is no container.
 */
function saveContainer(v: object, undo: Array<() => void>, visit?: (x: unknown) => void): boolean {
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as Numbers;
    const at = stash.put(a, 0, a.length);
    undo.push(() => stash.load(a, 0, a.length, at));
  } else if (Array.isArray(v)) {
    const copy = v.slice();
    if (visit) for (let i = 0; i < copy.length; i++) if (typeof copy[i] === 'object') visit(copy[i]);
    undo.push(() => restoreArray(v, copy));
  } else if (v instanceof Map) {
    const copy = [...v];
    if (visit)
      for (const [k, x] of copy) {
        visit(k);
        visit(x);
      }
    undo.push(() => {
      v.clear();
      for (const [k, x] of copy) v.set(k, x);
    });
  } else if (v instanceof Set) {
    const copy = [...v];
    if (visit) for (const x of copy) visit(x);
    undo.push(() => {
      v.clear();
      for (const x of copy) v.add(x);
    });
  } else return false;
  return true;
}

function restoreArray(a: unknown[], copy: unknown[]): void {
  a.length = copy.length;
  for (let i = 0; i < copy.length; i++) a[i] = copy[i];
}

function restoreFields(obj: object, keys: string[], values: unknown[]): void {
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k)) delete o[k];
  for (let i = 0; i < keys.length; i++) o[keys[i]] = values[i];
}
