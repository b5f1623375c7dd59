import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's Python, which has python3-sklearn and python3-scipy (the pyenv one on PATH has not). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts/reference/generate.py');

export interface ClassificationCase {
  name: string;
  classNames: string[];
  events: Array<{ t: number; p: number; probs: number[] | null }>;
  expected: {
    accuracy: number;
    perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    macro: { precision: number; recall: number; f1: number };
    weighted: { precision: number; recall: number; f1: number };
    rocAuc: number | null;
    logLoss: number | null;
    sklearnOvrMacro?: number;
  };
}

export interface NumericCase {
  name: string;
  reference: Array<number | null>;
  window: Array<number | null>;
  expected: {
    count: number;
    min: number;
    max: number;
    edges: number[];
    psiEdges: number[];
    psiRefProportions: number[];
    psi: number;
    ksStatistic: number;
    ksBound: number;
    ksPValueAtD: number;
    ksPValueAtDMinusBound: number;
    ks2sampAsympPValue: number;
    missingRatio: number;
    outOfRangeRatio: number;
  };
}

export interface CategoricalCase {
  name: string;
  maxCategories: number;
  reference: Array<string | null>;
  window: Array<string | null>;
  expected: { categories: string[]; counts: number[]; union: string[]; jsDistance: number; psi: number; missingRatio: number };
}

export interface ReferenceData {
  versions: Record<string, string>;
  classification: ClassificationCase[];
  regression: Array<{ name: string; events: Array<[number, number]>; expected: { mae: number; rmse: number } }>;
  /**
   * Errors from subnormal to near the largest accepted (regression_extremes): exact MAE and RMSE
   * (rational arithmetic, correctly rounded), NumPy on scaled errors, and sklearn's plain value.
   */
  regressionExtremes: Array<{
    name: string;
    events: Array<[number, number]>;
    expected: { mae: number; rmse: number; numpyScaled: number; sklearnRmse: number };
  }>;
  numeric: NumericCase[];
  ksSweep: NumericCase[];
  ksPValues: Array<{ d: number; n: number; m: number; p: number }>;
  categorical: CategoricalCase[];
  aucSweep: Array<{ y: number[]; scores: number[]; auc: number }>;
  ksSmall: { reference: number[]; window: number[]; d: number; p: number; limiting: number };
  bandSweep: Array<{ name: string; y: number[]; scores: number[]; auc: number; width?: number }>;
  bandOutliers: Array<{ name: string; y: number[]; scores: number[]; auc: number }>;
  bandSpreadWindows: Array<{
    name: string;
    window: number;
    reference: { y: number[]; scores: number[] };
    intervals: Array<{ y: number[]; scores: number[] }>;
    auc: number;
    aucAt: number[];
  }>;
  /** Scores within ~1.1e-7 of 0 or 1 (issue 11 §4), with how many are exactly 0 and exactly 1. */
  extremeScores: Array<{ name: string; y: number[]; scores: number[]; auc: number; zeros: number; ones: number }>;
  logLoss: Array<{ name: string; k: number; events: Array<{ t: number; probs: number[] }>; logLoss: number; rocAuc?: number }>;
  float32Softmax: Array<{ name: string; k: number; saturated: number; events: Array<{ t: number; probs: number[] }>; rocAuc: number }>;
  wilson: { z: number; cases: Array<{ correct: number; n: number; lo: number; hi: number }> };
  ingest: Record<
    'churn' | 'order',
    {
      events: Array<{ prediction: string; score: number; label: string }>;
      rocAuc: number;
      logLoss: number;
      accuracy: number;
      /** churn only: sklearn's binary precision/recall/F1 with the positive class "yes". */
      precision?: number;
      recall?: number;
      f1?: number;
    }
  >;
  /** A positive class that is not one of the model's classes; classes folded at the bounds (classes_cases). */
  classes: {
    yesNo: { events: Array<{ prediction: string; score: number; label: string }>; rocAuc: number; logLoss: number; accuracy: number };
    registryChange: { rocAuc: number; logLoss: number };
    longNames: { events: ScoredEvent[]; accuracy: number; logLoss: number };
    manyClasses: { events: ScoredEvent[]; accuracy: number; logLoss: number };
    /** Binary, both class names longer than the default label bound (64); `positive` is the positive class. */
    longBinary: {
      positive: string;
      events: Array<{ prediction: string; score: number; label: string }>;
      rocAuc: number;
      logLoss: number;
      accuracy: number;
    };
  };
}

/** A multiclass event with its class probabilities, as ingest takes it. */
export interface ScoredEvent {
  prediction: string;
  scores: Record<string, number>;
  label: string;
}

/**
 * Runs the Python reference generator (sklearn/SciPy) into a temp file and parses it. Fails
 * loudly when Debian's python3 with sklearn/scipy is missing: these values cannot be faked.
 */
export function generateReferenceData(): ReferenceData {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: install python3-sklearn and python3-scipy`);
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-stats-ref-'));
  try {
    const out = join(dir, 'reference.json');
    execFileSync(PYTHON, [SCRIPT, out], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
    return JSON.parse(readFileSync(out, 'utf8')) as ReferenceData;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** |a − b| ≤ abs + rel·|b|. */
export function close(a: number, b: number, abs = 1e-12, rel = 1e-9): boolean {
  return Math.abs(a - b) <= abs + rel * Math.abs(b);
}
