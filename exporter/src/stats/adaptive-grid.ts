import type { ClassHistograms } from './classification-state.js';
import { QUANTILE_CELLS, QUANTILE_GENERATIONS, QuantileGrids } from './quantile-grid.js';
import { addCdf, emptyCdf, fixedCells, quantileStarts } from './quantile-layout.js';
import { KEY_BITS, scoreKey } from './score-key.js';

export { scoreKey } from './score-key.js';

/**
 * A score grid that puts its bins where a window's scores are, so that ROC AUC keeps its
 * resolution when scores sit in a narrow band, in two far-apart bands, or in a band with a few
 * outliers — where the fixed log-odds grid (score-histogram.ts) and a grid spread over the
 * scores' range put a whole band in one or two bins (issue 11 §4).
 *
 * Cells. Every score p in (0, 1) has a finest key, K(p): for p ≤ ½ the top 52 bits of its IEEE-754
 * bit pattern (sign, exponent and 40 mantissa bits), for p > ½ the mirror 2·K(½) − K(1 − p)
 * (1 − p is exact there, by Sterbenz's lemma). K is monotone in p, and its cells are as fine
 * relative to p near 0, and to 1 − p near 1, as they are at ½: 2⁻⁴⁰ of a binade at the finest,
 * about 1e-12 in log-odds. A cell at level ℓ is floor(K / 2^ℓ): cells of one level nest in those
 * of the next, so counts move to a coarser level by summing, exactly. Exactly 0 and exactly 1 —
 * where float32 sigmoids saturate — get a bin each that no cell shares: pairs tied there are
 * real ties, which sklearn also counts ½.
 *
 * Levels. The key space is cut into fixed regions of four binary orders of magnitude each
 * (ADAPTIVE_REGION_BITS; [1/8, ½], [1/128, 1/8), … and their mirrors above ½, ~2.8 log-odds units
 * each). Per class, the grid holds the cells occupied by any score the window has been given
 * since it was created or last emptied (ingest resets it then, version-state.ts); when R
 * regions hold scores, each gets an equal share, floor(cells / R), and keeps its cells at the
 * finest level at which they fit in it. The cells, R and so each
 * region's level are functions of the set of scores alone (a subset occupies fewer regions and
 * fewer cells at every level), and levels only rise: the same events in any order or batching
 * give the same cells, and a total and its buckets always count on the same bins, so
 * subtracting a bucket is exact. When a new cell would pass its region's share, or a new region
 * lowers every share, the levels rise until the cells fit and every member state moves its
 * counts (`rebinAdaptive`).
 *
 * Resolution this buys (`cells` = 1,022 by default): a band of m distinct scores keeps
 * min(m, 1,022 / R) cells however narrow it is and wherever it sits — a band with a few outliers
 * ~500, two far bands ~500 each, a band among scores spread over all of [0, 1] (R ≈ 8–10) ~100;
 * scores spread smoothly over many regions get ~1,022 / R cells per 2.8 log-odds units, which
 * the fixed grid (32 per unit) betters, and then the AUC takes the fixed grid's. What no grid of
 * this kind can do is give a heavy band more cells than a light spread of distinct scores in its
 * own region: cells follow where scores are, not how many are there, because making resolution
 * follow counts would make the grid depend on the order events came in (a light region, once
 * merged, cannot be split again). The quantile grids (quantile-grid.ts), laid out on the window's
 * earlier counts, cover that case from a window length on; until then the error bound every AUC
 * carries (aucWithBound, exported as `modelwatch_model_roc_auc_error_bound`) says it happens.
 *
 * Memory: dense counts of `bins` (= cells + 2) per class and state, like the fixed grid's, plus
 * the directory below once per window and class. Plain numbers only (snapshot-friendly).
 */

/** Cells per class kept by the uniform rule (every region at one level), besides exact 0 and 1. */
export const ADAPTIVE_CELLS = 1022;
/** Cells per class shared out equally among the regions that hold scores. */
export const ADAPTIVE_SHARED_CELLS = 512;
/** Bins per class on the default grid: bin 0 holds exactly 0, bin 1 exactly 1, 2.. the cells. */
export const ADAPTIVE_BINS = ADAPTIVE_CELLS + ADAPTIVE_SHARED_CELLS + 2;
/** The one-value bins: their pairs are exact ties (aucWithBound's `exact`). */
export const ADAPTIVE_EXACT_BINS: readonly number[] = [0, 1];
/**
 * Regions are 2^42 keys: four binary orders of magnitude of p (or of 1 − p), about 2.8 log-odds
 * units — [1/8, ½], [1/128, 1/8), … and their mirrors above ½ — so at most 512 of them.
 */
export const ADAPTIVE_REGION_BITS = 42;

const EXACT_ONLY: readonly number[] = [0, 1];
const POW2 = Array.from({ length: KEY_BITS + 1 }, (_, l) => 2 ** l);

/** A region's share level, its cells at that level, and the level its cells are kept at. */
interface Region {
  share: number;
  count: number;
  kept: number;
}

/** One class's cells, sorted, each with the bin its counts are in. */
interface Cells {
  n: number;
  /** First finest key of each cell (its key at its level × 2^level), ascending; n used. */
  starts: Float64Array;
  /** bins[i] = the bin (≥ 2) of cell starts[i]. */
  bins: Uint16Array;
  /**
   * values[i] = the one score every score of cell i was, or NaN once two differed: pairs in a
   * one-value cell are real ties, which sklearn also counts ½ (rounded scores, a few distinct
   * values), so they add nothing to the error bound.
   */
  values: Float64Array;
  /** The uniform level, and the cells at it. */
  level: number;
  count: number;
  regions: Map<number, Region>;
  /** The bins in score order, exact 0 first and exact 1 last; valid while `orderValid`. */
  order: Uint16Array;
  /** The bins that hold one score value (0, 1 and one-value cells); valid while `exactValid`. */
  exact: number[];
  exactValid: boolean;
  orderValid: boolean;
}

/** What a ScoreGrid needs from the states that share it. */
export interface AdaptiveMember {
  /** Moves class c's counts: bin i's counts go to bin `to[i]` (coarser cells, so bins merge). */
  rebinAdaptive(c: number, to: ArrayLike<number>): void;
  /** Zeroes every count on quantile generation g (it starts again on a new layout). */
  clearQuantile(g: number): void;
}

/** What `ScoreGrid.relayout` reads of a window's total. */
export interface LayoutSource {
  readonly scored: number;
  readonly classCount: number;
  histograms(c: number): ClassHistograms | undefined;
  /** Whether quantile generation g counts every scored event of the state. */
  quantileComplete(g: number): boolean;
}

/** A class's cells as a snapshot records them (see ScoreGrid.export). */
export interface ExportedCells {
  level: number;
  /** [region, share level] for each region that holds scores, by region. */
  regions: Array<[number, number]>;
  /** First finest key of the cell of each bin from 2 on. */
  starts: number[];
  /** The one score of the cell of each bin from 2 on, NaN for cells that held several. */
  values: number[];
}

/**
 * The adaptive score grid of one sliding window, per class, shared by its total and its buckets
 * (see the file comment). Smaller `cells`, `sharedCells` and coarser regions are for tests that
 * need the levels to rise after a few scores; `sharedCells` must be at least the number of
 * regions, 2^(51 − regionBits), so that every region's share is a cell or more.
 */
export class ScoreGrid {
  /**
   * Called with the grid before it changes, and with each member state before the grid moves
   * its counts: ingest's transactions (windows/txn.ts) save them then, rather than on every batch.
   */
  static beforeChange?: (obj: object) => void;
  /** Bins per class of the states on this grid. */
  readonly bins: number;
  private classes: Array<Cells | undefined> = [];
  private readonly members: AdaptiveMember[] = [];
  private readonly regionSize: number;
  /** The window's quantile generations (quantile-grid.ts), which its states count on too. */
  readonly quantile: QuantileGrids;

  constructor(
    readonly cells = ADAPTIVE_CELLS,
    readonly sharedCells = ADAPTIVE_SHARED_CELLS,
    readonly regionBits = ADAPTIVE_REGION_BITS,
    quantileCells = QUANTILE_CELLS,
  ) {
    this.quantile = new QuantileGrids(quantileCells);
    if (!Number.isInteger(regionBits) || regionBits < 0 || regionBits > KEY_BITS) throw new RangeError('region bits out of range');
    if (!Number.isInteger(cells) || cells < 1) throw new RangeError('a score grid needs a cell or more');
    if (!Number.isInteger(sharedCells) || sharedCells < 2 ** (KEY_BITS - regionBits))
      throw new RangeError(`a score grid needs ${2 ** (KEY_BITS - regionBits)} shared cells or more, one per region`);
    if (cells + sharedCells > 0xfff0) throw new RangeError('a score grid holds at most 65,520 cells');
    this.bins = cells + sharedCells + 2;
    this.regionSize = POW2[regionBits];
  }

  join(m: AdaptiveMember): void {
    this.members.push(m);
  }

  /**
   * The bin of score p (in [0, 1]) of class c, adding its cell — and coarsening cells, moving
   * every member's counts — when the window has not seen one there yet.
   */
  bin(c: number, p: number): number {
    if (p === 0) return 0;
    if (p === 1) return 1;
    const key = scoreKey(p);
    const s = this.classes[c];
    if (s !== undefined) {
      const r = s.regions.get(Math.floor(key / this.regionSize));
      if (r !== undefined) {
        const size = POW2[r.kept];
        const i = find(s, Math.floor(key / size) * size);
        if (i >= 0) {
          const v = s.values[i];
          if (v !== p && !Number.isNaN(v)) {
            ScoreGrid.beforeChange?.(this);
            s.values[i] = NaN;
            s.exactValid = false;
          }
          return s.bins[i];
        }
      }
    }
    return this.addCell(c, key, p);
  }

  /** The bins of class c in score order (only the one-value bins before its first other score). */
  order(c: number): ArrayLike<number> {
    const s = this.classes[c];
    if (s === undefined) return EXACT_ONLY;
    if (!s.orderValid) {
      s.order[0] = 0;
      for (let i = 0; i < s.n; i++) s.order[i + 1] = s.bins[i];
      s.order[s.n + 1] = 1;
      s.orderValid = true;
    }
    return s.order.subarray(0, s.n + 2);
  }

  /** The bins of class c that hold one score value: exactly 0, exactly 1 and one-value cells. */
  exactBins(c: number): readonly number[] {
    const s = this.classes[c];
    if (s === undefined) return EXACT_ONLY;
    if (!s.exactValid) {
      s.exact = [0, 1];
      for (let i = 0; i < s.n; i++) if (!Number.isNaN(s.values[i])) s.exact.push(s.bins[i]);
      s.exactValid = true;
    }
    return s.exact;
  }

  /**
   * Calls visit(lo, hi, positives, negatives) for each cell of class c, in score order, with its
   * keys [lo, hi) — a one-value cell's are its score's key alone — and the counts `pos` and `neg`
   * hold in its bin (quantile-layout.ts, `addCdf`).
   */
  cellCounts(c: number, pos: ArrayLike<number>, neg: ArrayLike<number>) {
    return (visit: (lo: number, hi: number, pos: number, neg: number) => void) => {
      const s = this.classes[c];
      if (s === undefined) return;
      for (let i = 0; i < s.n; i++) {
        const v = s.values[i];
        const b = s.bins[i];
        if (!Number.isNaN(v)) {
          const k = scoreKey(v);
          visit(k, k + 1, pos[b], neg[b]);
        } else {
          const size = POW2[s.regions.get(Math.floor(s.starts[i] / this.regionSize))!.kept];
          visit(s.starts[i], s.starts[i] + size, pos[b], neg[b]);
        }
      }
    };
  }

  /**
   * At the window's first scored event of interval `epoch` (before it is counted), starts the
   * quantile generation that is due (QuantileGrids.next) on layouts taken from every grid of
   * `total` that holds all of its scores — the fixed one, this one, the complete generations —
   * after zeroing its counts in every member state. Later calls in the same interval do nothing,
   * so that the interval's events are counted on the same layouts in any order or batching.
   * `seed`: gives a layout for class `c` taken from the reference's labelled scores (called only
   * when it would be used), which starts a
   * generation that never started while the window holds no score yet — there are no counts to
   * take one from then, and a generation started with the window's first score holds all of them
   * from the start, so it covers the version's first window when the traffic looks like its
   * reference.
   */
  relayout(epoch: number, total: LayoutSource, seed?: () => { c: number; starts: Float64Array } | undefined): void {
    const q = this.quantile;
    if (epoch <= q.decided) return;
    ScoreGrid.beforeChange?.(this);
    q.decided = epoch;
    if (total.scored === 0) {
      const idle = q.idle();
      const layout = idle === undefined ? undefined : seed?.();
      if (idle === undefined || layout === undefined) return;
      this.startQuantile(
        idle,
        epoch,
        Array.from({ length: layout.c + 1 }, (_, c) => (c === layout.c ? layout.starts : undefined)),
      );
      return;
    }
    const complete = [];
    for (let g = 0; g < QUANTILE_GENERATIONS; g++) complete.push(q.active(g) && total.quantileComplete(g));
    const g = q.next(complete);
    if (g === undefined) return;
    const starts: Array<Float64Array | undefined> = [];
    for (let c = 0; c < total.classCount; c++) {
      const h = total.histograms(c);
      if (!h) {
        starts.push(undefined);
        continue;
      }
      const points = emptyCdf();
      addCdf(points, fixedCells(h.positives, h.negatives));
      if (h.adaptivePositives && h.adaptiveNegatives) addCdf(points, this.cellCounts(c, h.adaptivePositives, h.adaptiveNegatives));
      for (const r of h.quantile ?? []) if (r) addCdf(points, r.cells);
      starts.push(quantileStarts(points, q.cells));
    }
    this.startQuantile(g, epoch, starts);
  }

  /** Starts quantile generation g on `starts`, its counts zeroed in every member state first. */
  private startQuantile(g: number, epoch: number, starts: Array<Float64Array | undefined>): void {
    for (const m of this.members) ScoreGrid.beforeChange?.(m);
    for (const m of this.members) m.clearQuantile(g);
    this.quantile.start(g, epoch, starts);
  }

  /** Highest level at which class c keeps cells (0 before any score). */
  maxLevel(c: number): number {
    const s = this.classes[c];
    let level = 0;
    if (s !== undefined) for (const r of s.regions.values()) level = Math.max(level, r.kept);
    return level;
  }

  /** What a snapshot records, per class (see ExportedCells). */
  export(): ExportedCells[] {
    return this.classes.map((s) => {
      if (s === undefined) return { level: 0, regions: [], starts: [], values: [] };
      const starts = new Array<number>(s.n);
      const values = new Array<number>(s.n);
      for (let i = 0; i < s.n; i++) {
        starts[s.bins[i] - 2] = s.starts[i];
        values[s.bins[i] - 2] = s.values[i];
      }
      const regions = [...s.regions].map(([id, r]) => [id, r.share] as [number, number]).sort((a, b) => a[0] - b[0]);
      return { level: s.level, regions, starts, values };
    });
  }

  /**
   * Sets the cells a snapshot recorded (see `export`); the members' counts are restored on them.
   * @throws RangeError when they could not have come from `export`: a level or key out of range,
   * a cell not aligned to its level, duplicate cells, more cells than a level allows.
   */
  restore(classes: readonly ExportedCells[]): void {
    const next: Array<Cells | undefined> = [];
    for (const { level, regions, starts, values } of classes) {
      if (values.length !== starts.length) throw new RangeError('score cells and their values differ in number');
      if (starts.length === 0 && regions.length === 0) {
        next.push(undefined);
        continue;
      }
      if (starts.length > this.cells + this.sharedCells) throw new RangeError('more score cells than the grid holds');
      if (!Number.isInteger(level) || level < 0 || level > KEY_BITS) throw new RangeError('score grid level out of range');
      const s = emptyCells(this.bins - 2);
      s.level = level;
      for (const [id, share] of regions) {
        if (!Number.isInteger(id) || id < 0 || id >= 2 ** (KEY_BITS - this.regionBits) || s.regions.has(id))
          throw new RangeError('score grid region out of range');
        if (!Number.isInteger(share) || share < 0 || share > this.regionBits) throw new RangeError('score grid level out of range');
        s.regions.set(id, { share, count: 0, kept: Math.min(level, share) });
      }
      const byStart = starts.map((k, i) => [k, i + 2, values[i]] as const).sort((a, b) => a[0] - b[0]);
      const held = new Set<number>();
      for (const [start, bin, value] of byStart) {
        const id = Math.floor(start / this.regionSize);
        const r = s.regions.get(id);
        if (!Number.isInteger(start) || start < 0 || r === undefined || start % POW2[r.kept] !== 0)
          throw new RangeError('score cell out of range');
        if (s.n > 0 && s.starts[s.n - 1] === start) throw new RangeError('duplicate score cell');
        const key = value > 0 && value < 1 ? scoreKey(value) : -1;
        if (!Number.isNaN(value) && !(key >= start && key < start + POW2[r.kept]))
          throw new RangeError('score cell value outside its cell');
        s.values[s.n] = value;
        s.starts[s.n] = start;
        s.bins[s.n] = bin;
        s.n++;
        held.add(id);
      }
      if (held.size !== s.regions.size) throw new RangeError('score grid region without cells');
      this.recount(s);
      if (s.count > this.cells) throw new RangeError('more score cells than the uniform level allows');
      const share = this.share(s);
      for (const r of s.regions.values()) if (r.count > share) throw new RangeError('score grid region over its share');
      next.push(s);
    }
    this.classes = next;
  }

  /**
   * Forgets every cell: when no member holds a count on it any more (the window emptied), or
   * for a snapshot from before this grid, whose counts on it were not kept.
   */
  reset(): void {
    if (this.classes.length === 0) return;
    ScoreGrid.beforeChange?.(this);
    this.classes = [];
  }

  /**
   * Saves the cells for a rollback (windows/txn.ts, through `beforeChange`); the members save
   * their own counts.
   */
  saveState(): () => void {
    const saved = this.export();
    const quantile = this.quantile.saveState();
    return () => {
      this.restore(saved);
      quantile();
    };
  }

  /** Cells each region may hold at its share level. */
  private share(s: Cells): number {
    return Math.floor(this.sharedCells / Math.max(1, s.regions.size));
  }

  private addCell(c: number, key: number, p: number): number {
    ScoreGrid.beforeChange?.(this);
    while (this.classes.length <= c) this.classes.push(undefined);
    const s = (this.classes[c] ??= emptyCells(this.bins - 2));
    const id = Math.floor(key / this.regionSize);
    let region = s.regions.get(id);
    if (region === undefined) s.regions.set(id, (region = { share: 0, count: 0, kept: 0 }));
    // Raise the uniform level, and the share levels of the regions over their (maybe lowered)
    // share, until the cells — the new one included — fit; then keep each region's cells at the
    // finer of its two levels.
    const newAt = (level: number, lo: number, hi: number) => {
      const size = POW2[level];
      const at = Math.floor(key / size) * size;
      const i = search(s.starts, s.n, at);
      return i >= s.n || s.starts[i] >= at + size || s.starts[i] < lo || s.starts[i] >= hi;
    };
    // Whether the key adds a cell at the uniform level and at its region's share level, as they
    // stand: what the caps are checked with, and the counts taken when nothing rises.
    const newUniform = newAt(s.level, 0, Infinity);
    const newInRegion = newAt(region.share, id * this.regionSize, (id + 1) * this.regionSize);
    let raised = false;
    if (s.count + (newUniform ? 1 : 0) > this.cells) {
      while (distinct(s, 0, s.n, s.level, key) > this.cells) s.level++;
      raised = true;
    }
    const share = this.share(s);
    for (const [rid, r] of s.regions) {
      const lo = rid * this.regionSize;
      const hi = lo + this.regionSize;
      const mine = rid === id;
      if (r.count + (mine && newInRegion ? 1 : 0) <= share) continue;
      const [from, to] = [search(s.starts, s.n, lo), search(s.starts, s.n, hi)];
      while (distinct(s, from, to, r.share, mine ? key : -1) > share) r.share++;
      raised = true;
    }
    if (raised) this.coarsen(c, s);
    else {
      if (newUniform) s.count++;
      if (newInRegion) region.count++;
    }
    const size = POW2[region.kept];
    const start = Math.floor(key / size) * size;
    const i = search(s.starts, s.n, start);
    if (i < s.n && s.starts[i] === start) {
      if (raised) this.recount(s);
      if (s.values[i] !== p) s.values[i] = NaN;
      s.exactValid = false;
      return s.bins[i];
    }
    s.starts.copyWithin(i + 1, i, s.n);
    s.bins.copyWithin(i + 1, i, s.n);
    s.values.copyWithin(i + 1, i, s.n);
    s.values[i] = p;
    s.exactValid = false;
    s.starts[i] = start;
    s.bins[i] = s.n + 2;
    s.n++;
    s.orderValid = false;
    if (raised) this.recount(s);
    return s.bins[i];
  }

  /**
   * Keeps each region's cells at the finer of the uniform level and its share level, merging the
   * cells that now share one, renumbering the bins in score order, and moving every member's
   * counts to them.
   */
  private coarsen(c: number, s: Cells): void {
    let merged = false;
    for (const r of s.regions.values()) {
      const kept = Math.min(s.level, r.share);
      if (kept !== r.kept) merged = true;
      r.kept = kept;
    }
    if (!merged) return;
    const moved = new Uint16Array(this.bins);
    moved[1] = 1;
    const starts = new Float64Array(s.starts.length);
    const values = new Float64Array(s.starts.length);
    let n = 0;
    for (let i = 0; i < s.n; i++) {
      const size = POW2[s.regions.get(Math.floor(s.starts[i] / this.regionSize))!.kept];
      const start = Math.floor(s.starts[i] / size) * size;
      if (n === 0 || starts[n - 1] !== start) {
        starts[n] = start;
        values[n++] = s.values[i];
      } else values[n - 1] = NaN; // two cells' scores: different values (cells are disjoint)
      moved[s.bins[i]] = n + 1;
    }
    for (const m of this.members) ScoreGrid.beforeChange?.(m);
    for (const m of this.members) m.rebinAdaptive(c, moved);
    s.starts = starts;
    s.values = values;
    s.exactValid = false;
    s.n = n;
    for (let i = 0; i < n; i++) s.bins[i] = i + 2;
    s.orderValid = false;
  }

  /** Recounts the cells at the uniform level and at each region's share level. */
  private recount(s: Cells): void {
    s.count = distinct(s, 0, s.n, s.level, -1);
    for (const [id, r] of s.regions) {
      const lo = id * this.regionSize;
      r.count = distinct(s, search(s.starts, s.n, lo), search(s.starts, s.n, lo + this.regionSize), r.share, -1);
    }
  }
}

function emptyCells(cells: number): Cells {
  return {
    n: 0,
    starts: new Float64Array(cells),
    values: new Float64Array(cells),
    exact: [0, 1],
    exactValid: false,
    bins: new Uint16Array(cells),
    level: 0,
    count: 0,
    regions: new Map(),
    order: new Uint16Array(cells + 2),
    orderValid: false,
  };
}

/** First index i < n with keys[i] ≥ key (n if none). */
function search(keys: Float64Array, n: number, key: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the cell starting at `start`, or −1. */
function find(s: Cells, start: number): number {
  const i = search(s.starts, s.n, start);
  return i < s.n && s.starts[i] === start ? i : -1;
}

/** Distinct cells at `level` among s.starts[from, to), with the cell of key `extra` (≥ 0) added. */
function distinct(s: Cells, from: number, to: number, level: number, extra: number): number {
  const size = POW2[level];
  let count = 0;
  let last = -1;
  const extraCell = extra >= 0 ? Math.floor(extra / size) : -1;
  let seen = extra < 0;
  for (let i = from; i < to; i++) {
    const k = Math.floor(s.starts[i] / size);
    if (k !== last) {
      count++;
      last = k;
    }
    if (k === extraCell) seen = true;
  }
  return seen ? count : count + 1;
}
