import { isLayout } from './quantile-layout.js';
import { KEY_LIMIT, scoreKey } from './score-key.js';

/**
 * Score grids laid out on the quantiles of the window's own scores, for ROC AUC when most scores
 * sit in a narrow band and the band's part of the score range also holds scores spread thinly —
 * where the adaptive grid (adaptive-grid.ts), whose cells follow where scores are and not how
 * many, keeps only a few cells on the band (issue 11 §4: 95% of 50,000 scores in a band 0.01 wide
 * and 5% spread over [0, 1] was off by 0.011).
 *
 * A grid that follows counts as they come would depend on the order events came in. These do
 * not: each grid's layout is fixed for its life and is taken, when the grid (re)starts, from the
 * counts the window holds then (quantile-layout.ts) — a function of the events applied before
 * that bucket interval, not of their order. The layout is chosen at the window's first scored
 * event of an interval (`ScoreGrid.relayout`), so that events of one interval, in any order or
 * batches, are all counted on the same layouts; the choice is journaled with that batch's time
 * and replayed the same (durable/apply-clock.ts).
 *
 * A grid counts from its start on, so it holds every score of the window only once the buckets
 * older than its start have left — one window length later. Two generations take turns: while
 * one is complete and used, the other fills on a layout taken from the latest counts, which are
 * finer each time (each layout is read from every grid that holds the window's scores: the fixed
 * one, the adaptive one and the complete generation). On scores whose distribution holds, the
 * band's cells shrink with each generation until each cell holds at most 1/255 of either class's
 * scores (bound ≤ 1/510); when it shifts, the next layout follows it a window length later, and
 * meanwhile the other grids' bounds are no worse than without these.
 *
 * Memory: per class, state and generation, `bins` (= cells + 2) counts, like the other grids'.
 */

/** Cells per class of a generation's layout, besides the bins of exactly 0 and exactly 1. */
export const QUANTILE_CELLS = 510;
/** Generations of quantile layouts that take turns (see the file comment). */
export const QUANTILE_GENERATIONS = 2;

/** A generation as a snapshot records it. */
export interface ExportedGeneration {
  /** Interval (bucket epoch) the generation started at; −1 for one that has not started. */
  since: number;
  /** Per class, the first key of each cell (the first is 0). */
  starts: number[][];
}

const ONE_CELL = Float64Array.of(0);

interface Generation {
  since: number;
  starts: Array<Float64Array | undefined>;
}

/**
 * The quantile layouts of one window's generations; a ScoreGrid holds them and the states count
 * on them (bin 0: exactly 0, bins 1..cells: cell i−1, last: exactly 1 — in score order).
 */
export class QuantileGrids {
  readonly bins: number;
  /** The interval whose layouts were last decided (see ScoreGrid.relayout). */
  decided = -1;
  private gens: Generation[] = [];

  constructor(readonly cells = QUANTILE_CELLS) {
    if (!Number.isInteger(cells) || cells < 2) throw new RangeError('a quantile grid needs two cells or more');
    this.bins = cells + 2;
    for (let g = 0; g < QUANTILE_GENERATIONS; g++) this.gens.push({ since: -1, starts: [] });
  }

  /** Whether generation g has started (its states count scores). */
  active(g: number): boolean {
    return this.gens[g].since >= 0;
  }

  /** The interval generation g started at (−1: not started). */
  since(g: number): number {
    return this.gens[g].since;
  }

  /** Bin of score p (in [0, 1]) of class c on generation g's layout. */
  bin(g: number, c: number, p: number): number {
    if (p === 0) return 0;
    if (p === 1) return this.bins - 1;
    const s = this.gens[g].starts[c];
    if (s === undefined) return 1;
    const key = scoreKey(p);
    // Last cell whose first key is ≤ key (s[0] = 0).
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** A generation that has not started, if any. */
  idle(): number | undefined {
    const g = this.gens.findIndex((x) => x.since < 0);
    return g < 0 ? undefined : g;
  }

  /**
   * Calls visit(lo, hi, positives, negatives) for each cell of class c on generation g's layout,
   * in score order, with the counts `pos` and `neg` hold in its bin (quantile-layout.ts, `addCdf`).
   */
  cellCounts(g: number, c: number, pos: ArrayLike<number>, neg: ArrayLike<number>) {
    const s = this.gens[g].starts[c] ?? ONE_CELL;
    return (visit: (lo: number, hi: number, pos: number, neg: number) => void) => {
      for (let i = 0; i < s.length; i++) visit(s[i], i + 1 < s.length ? s[i + 1] : KEY_LIMIT, pos[i + 1], neg[i + 1]);
    };
  }

  /**
   * The generation to start at a new interval: one that never started, else — once both are
   * complete (hold every score of the window) — the older, whose layout the newer one's counts
   * now refine; none while one is still filling.
   */
  next(complete: readonly boolean[]): number | undefined {
    const idle = this.idle();
    if (idle !== undefined) return idle;
    if (!complete.every(Boolean)) return undefined;
    return this.gens[0].since <= this.gens[1].since ? 0 : 1;
  }

  /** Starts generation g at `since` on per-class layouts (classes without one get a single cell). */
  start(g: number, since: number, starts: Array<Float64Array | undefined>): void {
    this.gens[g] = { since, starts };
  }

  export(): ExportedGeneration[] {
    return this.gens.map((g) => ({ since: g.since, starts: g.starts.map((s) => (s ? Array.from(s) : [])) }));
  }

  /**
   * Sets what `export` gave.
   * @throws RangeError for layouts `export` could not have given: keys not increasing from 0,
   * more cells than the grid has, a bad interval.
   */
  restore(decided: number, gens: readonly ExportedGeneration[]): void {
    if (!Number.isInteger(decided) || decided < -1) throw new RangeError('bad quantile grid interval');
    if (gens.length !== QUANTILE_GENERATIONS) throw new RangeError('bad quantile grid generations');
    const next: Generation[] = gens.map(({ since, starts }) => {
      if (!Number.isInteger(since) || since < -1 || since > Math.max(decided, -1)) throw new RangeError('bad quantile grid interval');
      return {
        since,
        starts: starts.map((s) => {
          if (s.length === 0) return undefined;
          if (!isLayout(s, this.cells)) throw new RangeError('bad quantile layout');
          return Float64Array.from(s);
        }),
      };
    });
    this.decided = decided;
    this.gens = next;
  }

  /** Saves everything for a rollback (the layouts are replaced, never changed in place). */
  saveState(): () => void {
    const decided = this.decided;
    const gens = this.gens.slice();
    return () => {
      this.decided = decided;
      this.gens = gens;
    };
  }
}
