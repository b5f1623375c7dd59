import type { BinCounts } from '../stats/counts.js';
import { migrateScoreBinV3, SCORE_BINS_V3 } from '../stats/score-histogram.js';
import { CategoricalFeatureState, ClassificationState, ExactSum, NumericFeatureState, RegressionState } from '../stats/index.js';
import type { ExportedCells } from '../stats/adaptive-grid.js';
import { QUANTILE_GENERATIONS, type ExportedGeneration } from '../stats/quantile-grid.js';
import { CountState } from '../windows/count-state.js';
import type { Mergeable, SlidingWindow } from '../windows/sliding-window.js';
import { SnapshotFormatError, type ByteReader, type ByteWriter } from './bytes.js';
import {
  internals,
  type CategoricalInternals,
  type ClassificationInternals,
  type ExactSumInternals,
  type NumericInternals,
  type RegressionInternals,
  type WindowInternals,
} from './internals.js';

/**
 * Binary encoders of the window state classes. Each `read*` restores INTO a state built the
 * same way as the one written (same reference, same window geometry), so that what a state
 * derives from its construction (references, bin layout, count rings) is never stored.
 * A reader throws SnapshotFormatError on bytes of another shape; callers discard the state.
 */
export interface StateCodec<S> {
  write(w: ByteWriter, s: S): void;
  /** `format`: the snapshot format the bytes were written in (envelope.ts), for migrations. */
  read(r: ByteReader, into: S, format: number): void;
}

/** Largest class count a classification state accepts (see ClassificationState). */
const MAX_CLASSES = 4096;
/** Exact sums hold at most ~40 partials; anything far beyond is corrupt. */
const MAX_PARTIALS = 2100;

export function writeBins(w: ByteWriter, b: BinCounts): void {
  w.counts(b.view());
}

export function readBins(r: ByteReader, into: BinCounts): void {
  const counts = r.counts(into.size);
  into.clear();
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) into.increment(i, counts[i]);
}

/**
 * Fixed-grid score counts: as written (format 4 on), or on the grid before it (formats 2 and
 * 3, SCORE_BINS_V3 bins), moved to the current grid by `migrateScoreBinV3`.
 */
function readScoreBins(r: ByteReader, into: BinCounts, format: number): void {
  if (format >= 4) return readBins(r, into);
  const counts = r.counts(SCORE_BINS_V3);
  into.clear();
  for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) into.increment(migrateScoreBinV3(i), counts[i]);
}

export function writeExactSum(w: ByteWriter, s: ExactSum): void {
  w.f64s(internals<ExactSumInternals>(s).partials);
}

export function readExactSum(r: ByteReader, into: ExactSum): void {
  const partials = r.f64s(MAX_PARTIALS);
  into.clear();
  // Adding the non-overlapping partials rebuilds an expansion of the very same exact sum.
  for (const p of partials) {
    if (!Number.isFinite(p)) throw new SnapshotFormatError('non-finite partial sum');
    into.add(p);
  }
}

export const countCodec: StateCodec<CountState> = {
  write: (w, s) => w.uint(s.count),
  read: (r, s) => {
    s.count = r.uint();
  },
};

export const regressionCodec: StateCodec<RegressionState> = {
  write(w, s) {
    const i = internals<RegressionInternals>(s);
    w.uint(i.n);
    writeExactSum(w, i.absoluteErrors);
    writeExactSum(w, i.squaredErrors);
    writeExactSum(w, i.tinySquaredErrors);
  },
  read(r, s, format) {
    const i = internals<RegressionInternals>(s);
    s.clear();
    i.n = r.uint();
    readExactSum(r, i.absoluteErrors);
    readExactSum(r, i.squaredErrors);
    // Format 7 on: the scaled squares of the tiny errors (stats/regression.ts, TINY_ERROR). Before,
    // their squares were summed unscaled with the others, where they underflowed to 0 or nearly:
    // those buckets keep counting them so until they leave the window.
    if (format >= 7) readExactSum(r, i.tinySquaredErrors);
  },
};

export const classificationCodec: StateCodec<ClassificationState> = {
  write(w, s) {
    const i = internals<ClassificationInternals>(s);
    w.uint(i.k);
    w.uint(i.labeledCount);
    w.uint(i.scoredCount);
    w.counts(i.confusion);
    w.counts(i.apart.slice(0, i.k));
    writeExactSum(w, i.logLossSum);
    w.u8(i.positives.length > 0 ? 1 : 0);
    for (let c = 0; c < i.positives.length; c++) {
      writeBins(w, i.positives[c]);
      writeBins(w, i.negatives[c]);
    }
    // The window's adaptive score grid (shared by its states; each carries a copy) and its counts.
    w.u8(i.grid && i.positives.length > 0 ? 1 : 0);
    if (i.grid && i.positives.length > 0) {
      const cells = i.grid.export();
      w.uint(cells.length);
      for (const { level, regions, starts, values } of cells) {
        w.uint(level);
        w.uint(regions.length);
        for (const [region, share] of regions) {
          w.uint(region);
          w.uint(share);
        }
        w.f64s(starts);
        w.f64s(values);
      }
      for (let c = 0; c < i.adaptivePositives.length; c++) {
        writeBins(w, i.adaptivePositives[c]);
        writeBins(w, i.adaptiveNegatives[c]);
      }
      writeQuantile(w, i);
    }
  },
  read(r, s, format) {
    const i = internals<ClassificationInternals>(s);
    const k = r.bounded(MAX_CLASSES, 'class count');
    s.clear();
    s.reserve(k);
    if (i.k !== k) throw new SnapshotFormatError(`state holds ${i.k} classes, snapshot ${k}`);
    i.labeledCount = r.uint();
    i.scoredCount = r.uint();
    const confusion = r.counts(k * k);
    for (let j = 0; j < confusion.length; j++) i.confusion[j] = confusion[j];
    // Format 5 on: the folded pairs apart per class (none before: folded pairs counted as right).
    if (format >= 5) {
      const apart = r.counts(k);
      for (let j = 0; j < k; j++) {
        if (apart[j] > confusion[j * k + j]) throw new SnapshotFormatError('more folded pairs apart than diagonal events');
        i.apart[j] = apart[j];
      }
    }
    readExactSum(r, i.logLossSum);
    if (r.u8() === 1) {
      i.allocateHistograms();
      for (let c = 0; c < k; c++) {
        readScoreBins(r, i.positives[c], format);
        readScoreBins(r, i.negatives[c], format);
      }
    }
    if (r.u8() === 1) {
      if (!i.grid) throw new SnapshotFormatError('score grid counts for a state without a score grid');
      i.allocateHistograms();
      if (format >= 6) readScoreGrid(r, i, k);
      else skipZoomedV5(r, i, k);
      // Before format 9 there were no quantile grids: they start at the next interval.
      if (format >= 9) readQuantile(r, i, k);
    }
  },
};

/**
 * Format 6 on: the adaptive grid's cells per class (its uniform level, its regions' share levels,
 * the first key of each bin's cell from bin 2 on and the one score it held, NaN for several),
 * then each class's counts on it.
 */
function readScoreGrid(r: ByteReader, i: ClassificationInternals, k: number): void {
  const grid = i.grid!;
  const n = r.bounded(MAX_CLASSES, 'score grid classes');
  const cells: ExportedCells[] = [];
  for (let c = 0; c < n; c++) {
    const level = r.uint();
    const regions: Array<[number, number]> = [];
    const count = r.bounded(grid.sharedCells, 'score grid regions');
    for (let j = 0; j < count; j++) regions.push([r.uint(), r.uint()]);
    const starts = r.f64s(grid.bins - 2);
    cells.push({ level, regions, starts, values: r.f64s(grid.bins - 2) });
  }
  try {
    grid.restore(cells);
  } catch (e) {
    throw new SnapshotFormatError(`bad score grid: ${(e as Error).message}`);
  }
  for (let c = 0; c < k; c++) {
    readBins(r, i.adaptivePositives[c]);
    readBins(r, i.adaptiveNegatives[c]);
    const used = c < cells.length ? cells[c].starts.length + 2 : 2;
    for (const h of [i.adaptivePositives[c], i.adaptiveNegatives[c]])
      for (let b = used; b < h.size; b++) if (h.get(b) !== 0) throw new SnapshotFormatError('score counts in a bin without a cell');
  }
}

/**
 * Format 9 on: the window's quantile generations (stats/quantile-grid.ts) — the interval last
 * decided and each generation's start and per-class layouts, offset by one so that "none" (−1)
 * is a uint — then this state's scored events on each generation and its counts, per class.
 */
function writeQuantile(w: ByteWriter, i: ClassificationInternals): void {
  const q = i.grid!.quantile;
  w.uint(q.decided + 1);
  for (const { since, starts } of q.export()) {
    w.uint(since + 1);
    w.uint(starts.length);
    for (const s of starts) w.f64s(s);
  }
  for (let g = 0; g < QUANTILE_GENERATIONS; g++) {
    w.uint(i.quantileScored[g]);
    for (let c = 0; c < i.quantilePositives[g].length; c++) {
      writeBins(w, i.quantilePositives[g][c]);
      writeBins(w, i.quantileNegatives[g][c]);
    }
  }
}

function readQuantile(r: ByteReader, i: ClassificationInternals, k: number): void {
  const q = i.grid!.quantile;
  const decided = r.uint() - 1;
  const gens: ExportedGeneration[] = [];
  for (let g = 0; g < QUANTILE_GENERATIONS; g++) {
    const since = r.uint() - 1;
    const n = r.bounded(MAX_CLASSES, 'quantile grid classes');
    const starts: number[][] = [];
    for (let c = 0; c < n; c++) starts.push(r.f64s(q.cells));
    gens.push({ since, starts });
  }
  try {
    q.restore(decided, gens);
  } catch (e) {
    throw new SnapshotFormatError(`bad quantile grid: ${(e as Error).message}`);
  }
  for (let g = 0; g < QUANTILE_GENERATIONS; g++) {
    const scored = r.uint();
    if (scored > i.scoredCount || (scored > 0 && !q.active(g)))
      throw new SnapshotFormatError('more events on a quantile grid than the state holds');
    i.quantileScored[g] = scored;
    for (let c = 0; c < k; c++) {
      readBins(r, i.quantilePositives[g][c]);
      readBins(r, i.quantileNegatives[g][c]);
    }
  }
}

/**
 * Formats 4 and 5 kept a grid zoomed on the scores' range, which does not nest in the adaptive
 * one: its counts are read past and the grid starts empty. Until the restored buckets leave the
 * window the adaptive counts hold fewer scores than the fixed grid's, and ROC AUC uses the fixed
 * grid alone (roc-auc.ts, `complete`) — at most one window length after the upgrade.
 */
function skipZoomedV5(r: ByteReader, i: ClassificationInternals, k: number): void {
  const lo = r.f64s(MAX_CLASSES);
  const hi = r.f64s(MAX_CLASSES);
  if (lo.length !== hi.length) throw new SnapshotFormatError('bad score grid');
  for (let c = 0; c < k; c++) {
    if (r.u8() !== 1) continue;
    r.counts(ZOOMED_BINS_V5);
    r.counts(ZOOMED_BINS_V5);
  }
  i.grid!.reset();
}

/** Bins of the grid zoomed on the scores' range (formats 4 and 5). */
const ZOOMED_BINS_V5 = 1024;

export const numericCodec: StateCodec<NumericFeatureState> = {
  write(w, s) {
    const i = internals<NumericInternals>(s);
    w.uint(i.nonMissing);
    w.uint(i.missingCount);
    w.uint(i.outOfRangeCount);
    writeBins(w, i.bins);
  },
  read(r, s) {
    const i = internals<NumericInternals>(s);
    s.clear();
    i.nonMissing = r.uint();
    i.missingCount = r.uint();
    i.outOfRangeCount = r.uint();
    readBins(r, i.bins);
  },
};

export const categoricalCodec: StateCodec<CategoricalFeatureState> = {
  write(w, s) {
    const i = internals<CategoricalInternals>(s);
    w.uint(i.nonMissing);
    w.uint(i.missingCount);
    w.uint(i.otherCount);
    writeBins(w, i.refCounts);
    writeBins(w, i.slotCounts);
    const names = i.slotNames;
    const named = names ? names.flatMap((n, slot) => (n === undefined ? [] : [[slot, n] as const])) : [];
    w.uint(named.length);
    for (const [slot, n] of named) {
      w.uint(slot);
      w.str(n);
    }
  },
  read(r, s) {
    const i = internals<CategoricalInternals>(s);
    s.clear();
    i.nonMissing = r.uint();
    i.missingCount = r.uint();
    i.otherCount = r.uint();
    readBins(r, i.refCounts);
    readBins(r, i.slotCounts);
    const slots = i.slotCounts.size;
    const named = r.bounded(slots, 'named slots');
    if (named > 0) i.slotNames ??= new Array<string | undefined>(slots).fill(undefined);
    for (let k = 0; k < named; k++) {
      const slot = r.bounded(slots - 1, 'slot');
      i.slotNames![slot] = r.str();
    }
  },
};

/**
 * A sliding window: its geometry (which must match the window read into), the epoch of every
 * slot, the total, and the states of the slots that hold an epoch (empty slots are clear).
 */
export function writeWindow<S extends Mergeable<S>>(w: ByteWriter, win: SlidingWindow<S>, codec: StateCodec<S>): void {
  const i = internals<WindowInternals<S>>(win);
  w.f64(i.bucketMs);
  w.uint(i.bucketCount);
  w.f64(i.currentEpoch);
  codec.write(w, i.total);
  for (let slot = 0; slot < i.bucketCount; slot++) {
    const epoch = i.slotEpoch[slot];
    w.f64(epoch);
    if (epoch !== -Infinity) codec.write(w, i.buckets[slot]);
  }
}

export function readWindow<S extends Mergeable<S>>(r: ByteReader, into: SlidingWindow<S>, codec: StateCodec<S>, format: number): void {
  const i = internals<WindowInternals<S>>(into);
  const bucketMs = r.f64();
  const bucketCount = r.uint();
  if (bucketMs !== i.bucketMs || bucketCount !== i.bucketCount)
    throw new SnapshotFormatError(`window geometry ${bucketCount}x${bucketMs} ms, expected ${i.bucketCount}x${i.bucketMs} ms`);
  into.clear();
  i.currentEpoch = r.f64();
  codec.read(r, i.total, format);
  for (let slot = 0; slot < bucketCount; slot++) {
    const epoch = r.f64();
    i.slotEpoch[slot] = epoch;
    if (epoch !== -Infinity) codec.read(r, i.buckets[slot], format);
  }
}
