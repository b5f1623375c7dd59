import { buildFeatureReference, InvalidReferenceError, type Calibration, type FeatureReference } from '../stats/index.js';
import { QUANTILE_CELLS } from '../stats/quantile-grid.js';
import { isLayout, sampleStarts } from '../stats/quantile-layout.js';
import type { FieldProblem } from '../errors.js';
import { isStoredCalibration, referenceCalibration } from './reference-calibration.js';
import type { ReferenceBody } from './schemas.js';

export type Task = 'classification' | 'regression';

/** What is persisted per model version (ReferenceStore's JSON) and rebuilt into window state. */
export interface ReferenceProfile {
  features: Record<string, FeatureReference>;
  prediction?: FeatureReference;
  positiveClass?: string;
  task?: Task;
  /** Features beyond MODELWATCH_MAX_FEATURES_PER_MODEL, not tracked. */
  droppedFeatures: string[];
  /** Calibration of the label-free estimate, when the upload carried labels and scores. */
  calibration?: Calibration;
  /**
   * Binary uploads with labels and `score`: a ROC AUC quantile layout of those scores (first key
   * of each cell, stats/quantile-layout.ts), which the version's first window counts on
   * (ScoreGrid.relayout's seed) before it has counts of its own to take one from.
   */
  scoreLayout?: { positiveClass: string; starts: number[] };
}

export interface ProfileLimits {
  maxFeatures: number;
  maxCategories: number;
}

/**
 * Turns a reference sample into per-feature profiles. Features are kept in name order up to
 * the per-model bound; the rest are reported and counted as dropped, never tracked.
 * Returns every problem (one per bad feature) rather than stopping at the first.
 */
export function buildReferenceProfile(
  body: ReferenceBody,
  limits: ProfileLimits,
): { profile?: ReferenceProfile; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const names = Object.keys(body.features).sort();
  const kept = names.slice(0, limits.maxFeatures);
  const features: Record<string, FeatureReference> = {};
  for (const name of kept) {
    try {
      features[name] = buildFeatureReference(body.features[name], { maxCategories: limits.maxCategories });
    } catch (err) {
      if (!(err instanceof InvalidReferenceError)) throw err;
      problems.push({ path: `features.${name}`, message: err.message });
    }
  }
  let prediction: FeatureReference | undefined;
  if (body.predictions) {
    try {
      prediction = buildFeatureReference(body.predictions, { maxCategories: limits.maxCategories });
    } catch (err) {
      if (!(err instanceof InvalidReferenceError)) throw err;
      problems.push({ path: 'predictions', message: err.message });
    }
  }
  const { calibration, problems: calibrationProblems } = referenceCalibration(body);
  problems.push(...calibrationProblems);
  if (problems.length > 0) return { problems };
  const task: Task | undefined =
    body.task ??
    (prediction?.kind === 'categorical' || body.positive_class !== undefined || calibration !== undefined ? 'classification' : undefined);
  if (task === 'regression' && prediction?.kind === 'categorical') {
    return {
      problems: [
        {
          path: 'predictions',
          message:
            'this reference declares "task": "regression", which takes numeric predictions; class names (strings) make a classification reference',
        },
      ],
    };
  }
  return {
    profile: {
      features,
      prediction,
      positiveClass:
        body.positive_class !== undefined
          ? String(body.positive_class)
          : calibration?.kind === 'binary'
            ? calibration.positiveClass
            : undefined,
      task,
      droppedFeatures: names.slice(limits.maxFeatures),
      ...(calibration ? { calibration } : {}),
      ...(calibration?.kind === 'binary' && body.score && body.labels
        ? { scoreLayout: scoreLayout(body.score, body.labels, calibration.positiveClass) }
        : {}),
    },
    problems,
  };
}

/** Parses a stored profile; undefined when it is not one (the caller logs and skips it). */
export function parseStoredProfile(json: string): ReferenceProfile | undefined {
  try {
    const p = JSON.parse(json) as ReferenceProfile;
    if (typeof p !== 'object' || p === null || typeof p.features !== 'object' || p.features === null) return undefined;
    for (const f of Object.values(p.features)) if (f.kind !== 'numeric' && f.kind !== 'categorical') return undefined;
    p.droppedFeatures ??= [];
    if (p.calibration !== undefined && !isStoredCalibration(p.calibration)) delete p.calibration;
    const layout = p.scoreLayout as unknown as { positiveClass?: unknown; starts?: unknown } | undefined;
    if (layout !== undefined && (typeof layout?.positiveClass !== 'string' || !isLayout(layout.starts, QUANTILE_CELLS)))
      delete p.scoreLayout;
    return p;
  } catch {
    return undefined;
  }
}

function scoreLayout(score: readonly number[], labels: ReadonlyArray<string | number | boolean>, positiveClass: string) {
  const starts = sampleStarts(
    score,
    labels.map((l) => String(l) === positiveClass),
    QUANTILE_CELLS,
  );
  return { positiveClass, starts: starts ? Array.from(starts) : [0] };
}
