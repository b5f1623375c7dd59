import type { BinCounts } from '../stats/counts.js';
import type { ExactSum } from '../stats/exact-sum.js';
import type { ScoreGrid } from '../stats/adaptive-grid.js';

/**
 * The private fields of the window state classes that a snapshot has to capture. The state
 * classes keep their fields private so that nothing else writes them; the snapshot codec is
 * the one exception, and this file is the one place that knows their names (the round-trip
 * property tests in test/durable fail when a class changes shape without this file following).
 */
export interface ExactSumInternals {
  partials: number[];
}

export interface RegressionInternals {
  n: number;
  absoluteErrors: ExactSum;
  squaredErrors: ExactSum;
  tinySquaredErrors: ExactSum;
}

export interface ClassificationInternals {
  k: number;
  confusion: number[];
  apart: number[];
  labeledCount: number;
  scoredCount: number;
  logLossSum: ExactSum;
  positives: BinCounts[];
  negatives: BinCounts[];
  adaptivePositives: BinCounts[];
  adaptiveNegatives: BinCounts[];
  quantilePositives: BinCounts[][];
  quantileNegatives: BinCounts[][];
  quantileScored: number[];
  grid: ScoreGrid | undefined;
  allocateHistograms(): void;
}

export interface NumericInternals {
  bins: BinCounts;
  nonMissing: number;
  missingCount: number;
  outOfRangeCount: number;
}

export interface CategoricalInternals {
  refCounts: BinCounts;
  slotCounts: BinCounts;
  slotNames: Array<string | undefined> | undefined;
  otherCount: number;
  nonMissing: number;
  missingCount: number;
}

export interface WindowInternals<S> {
  total: S;
  buckets: S[];
  slotEpoch: number[];
  currentEpoch: number;
  bucketMs: number;
  bucketCount: number;
}

export interface VersionInternals {
  reservedClasses: number;
}

/** Reads an object through its internals view. */
export function internals<T>(o: object): T {
  return o as unknown as T;
}
