/**
 * A score grid that follows where the scores are, so that ROC AUC keeps its resolution when a
 * model's scores sit in a narrow band (e.g. all within [0.495, 0.505]), where fixed bins put
 * every score in one or two bins.
 *
 * The grid of a set of scores with minimum lo and maximum hi is two adjacent dyadic cells
 * [j·2⁻ᴸ, (j+2)·2⁻ᴸ) at the deepest level L ≤ ZOOM_MAX_LEVEL where floor(hi·2ᴸ) − floor(lo·2ᴸ) ≤ 1
 * (so j = floor(lo·2ᴸ)), each cut into ZOOM_SUBBINS equal bins. It is a function of (lo, hi)
 * alone, never of the order the scores came in; a band of width w gets cells of width < 2w, so
 * at least ZOOM_SUBBINS/2 bins fall inside the band.
 *
 * Grids of growing ranges nest: every bin of a deeper grid lies inside one bin of a shallower
 * one (bin edges are multiples of a power of two), so counts move to a wider range by summing,
 * exactly. Merging, subtracting and re-batching states therefore give the same counts as adding
 * their scores to one state.
 */
import { LOGIT_LIMIT } from './score-histogram.js';

export const ZOOM_SUBBINS = 512;
export const ZOOM_BINS = 2 * ZOOM_SUBBINS;
/** Deepest level: cells of 2⁻⁴⁰ ≈ 9e-13, still exact as doubles once scaled by ZOOM_SUBBINS. */
export const ZOOM_MAX_LEVEL = 40;

export interface ZoomFrame {
  level: number;
  /** Index of the first of the two cells at `level`. */
  cell: number;
}

/** The grid of scores in [lo, hi] (0 ≤ lo ≤ hi ≤ 1). */
export function zoomFrame(lo: number, hi: number): ZoomFrame {
  for (let level = ZOOM_MAX_LEVEL; level > 0; level--) {
    const scale = 2 ** level;
    const cell = Math.floor(lo * scale);
    if (Math.floor(hi * scale) - cell <= 1) return { level, cell };
  }
  return { level: 0, cell: 0 };
}

/** Bin of score p in frame f (p inside the frame's range): exact, since scaling by 2^k is. */
export function zoomBin(p: number, f: ZoomFrame): number {
  return Math.floor(p * SCALE[f.level]) - f.cell * ZOOM_SUBBINS;
}

/** Bin of frame `to` that holds bin i of frame `from`, `to` being the frame of a wider range. */
export function zoomRebin(i: number, from: ZoomFrame, to: ZoomFrame): number {
  const shift = from.level - to.level;
  return Math.floor((from.cell * ZOOM_SUBBINS + i) / 2 ** shift) - to.cell * ZOOM_SUBBINS;
}

/** 2^(level) · ZOOM_SUBBINS for each level. */
const SCALE = Array.from({ length: ZOOM_MAX_LEVEL + 1 }, (_, level) => 2 ** level * ZOOM_SUBBINS);

/**
 * Widest range, in log-odds, on which a class keeps its zoomed histograms. Past it the fixed
 * log-odds grid already has at least 32 × 8 = 256 bins over the range — what the zoomed grid
 * guarantees — so the zoomed counts are released: memory is spent only on classes whose scores
 * are narrow. Whether a class is zoomed depends only on the range (order-free, like the rest).
 * The range is measured with logits clamped to ±16, i.e. only over the fixed grid's 1/32 bins:
 * its coarser bins beyond ±16 (score-histogram.ts) never count towards the 256, so a range
 * mostly beyond ±16 keeps its zoomed counts, and the AUC takes whichever grid bounds it tighter.
 */
export const ZOOM_MAX_LOGIT_WIDTH = 8;

/** Whether a class whose scores span [lo, hi] keeps zoomed histograms. */
export function zoomed(lo: number, hi: number): boolean {
  const logit = (p: number) => Math.min(LOGIT_LIMIT, Math.max(-LOGIT_LIMIT, Math.log(p) - Math.log1p(-p)));
  return logit(hi) - logit(lo) <= ZOOM_MAX_LOGIT_WIDTH;
}

/** What a ScoreGrid needs from the states that share it. */
export interface ZoomMember {
  /** Moves class c's zoom counts from grid `from` to the wider grid `to`. */
  rebinZoom(c: number, from: ZoomFrame, to: ZoomFrame): void;
  /** Drops class c's zoomed counts (its range became too wide to need them). */
  releaseZoom(c: number): void;
}

/**
 * The zoomed score grid of one sliding window, per class, shared by its total and its buckets.
 * Its range per class is the range of every score the window has been given since it was
 * created — a function of the set of events, not of their order or batching — and only ever
 * widens; when it does, every member state moves its counts to the wider grid (exact, grids
 * nest), so a total and its buckets always count on the same bins and subtracting a bucket is
 * exact. It is deliberately not seeded from the reference's scores: because rebinning is exact,
 * the bins end up as fine as the observed range allows whatever the start, and a reference
 * wider than the live scores only makes them coarser (3,000 scores in bands 0.001–0.01 wide:
 * |AUC − sklearn| ≤ 3.3e-5 unseeded, up to 1.2e-3 seeded with a 5× wider range, issue 11 §4).
 * Plain numbers only (snapshot-friendly).
 */
export class ScoreGrid {
  /**
   * Called before a grid changes (and moves its members' counts): ingest's transactions
   * (windows/txn.ts) save the grid and its members then, rather than on every batch.
   */
  static beforeChange?: (grid: ScoreGrid) => void;
  lo: number[] = [];
  hi: number[] = [];
  private frames: ZoomFrame[] = [];
  private active: boolean[] = [];
  private readonly members: ZoomMember[] = [];

  join(m: ZoomMember): void {
    this.members.push(m);
  }

  /** The grid of class c; undefined while no score of class c was seen, or when c is not zoomed. */
  frame(c: number): ZoomFrame | undefined {
    return c < this.frames.length && this.lo[c] <= this.hi[c] && this.active[c] ? this.frames[c] : undefined;
  }

  /** Whether class c (still) keeps zoomed histograms: true until its range grows too wide. */
  isZoomed(c: number): boolean {
    return c >= this.active.length || this.active[c];
  }

  /** Whether class c's range holds p. */
  holds(c: number, p: number): boolean {
    return c < this.lo.length && p >= this.lo[c] && p <= this.hi[c];
  }

  /** Sets the ranges as a snapshot recorded them (the members' counts are restored on these grids). */
  restore(lo: readonly number[], hi: readonly number[]): void {
    if (lo.length !== hi.length) throw new RangeError('score grid ranges of different lengths');
    this.lo = [...lo];
    this.hi = [...hi];
    this.frames = this.lo.map((l, c) => (l <= this.hi[c] ? zoomFrame(l, this.hi[c]) : { level: 0, cell: 0 }));
    this.active = this.lo.map((l, c) => !(l <= this.hi[c]) || zoomed(l, this.hi[c]));
  }

  /** Widens class c's range to include [lo, hi], moving every member's counts to the new grid. */
  widen(c: number, lo: number, hi: number): void {
    if (c >= this.lo.length || lo < this.lo[c] || hi > this.hi[c]) ScoreGrid.beforeChange?.(this);
    while (this.lo.length <= c) {
      this.lo.push(Infinity);
      this.hi.push(-Infinity);
      this.frames.push({ level: 0, cell: 0 });
      this.active.push(true);
    }
    const oldLo = this.lo[c];
    const oldHi = this.hi[c];
    if (lo >= oldLo && hi <= oldHi) return;
    const from = this.frames[c];
    this.lo[c] = Math.min(lo, oldLo);
    this.hi[c] = Math.max(hi, oldHi);
    const to = zoomFrame(this.lo[c], this.hi[c]);
    this.frames[c] = to;
    if (!this.active[c]) return;
    if (!zoomed(this.lo[c], this.hi[c])) {
      this.active[c] = false;
      for (const m of this.members) m.releaseZoom(c);
      return;
    }
    if (!(oldLo <= oldHi) || (from.level === to.level && from.cell === to.cell)) return;
    for (const m of this.members) m.rebinZoom(c, from, to);
  }
}
