import {
  CategoricalFeatureState,
  ClassificationState,
  NumericFeatureState,
  RegressionState,
  ScoreGrid,
  type CategoricalFeatureReference,
  type FeatureReference,
  type NumericFeatureReference,
} from '../stats/index.js';
import { LATENCY_BUCKETS_SECONDS } from '../metrics/catalog.js';
import { CountState } from '../windows/count-state.js';
import { SlidingWindow } from '../windows/sliding-window.js';
import { activeTxn, markShared } from '../windows/txn.js';
import { escapeLabelValue, flatString } from './bounded-names.js';
import { makeEstimateTracker, type EstimateTracker } from './estimate-tracker.js';
import { LabelTracking } from './label-tracking.js';
import type { ReferenceProfile, Task } from './reference-profile.js';

/** Bucket geometry shared by every window: fine for counts, coarse for histogram states. */
export interface WindowGeometry {
  fineMs: number;
  fineBuckets: number;
  coarseMs: number;
  coarseBuckets: number;
  maxCategories: number;
}

export type FeatureTracker =
  | {
      kind: 'numeric';
      name: string;
      labels: string;
      ref: NumericFeatureReference;
      window: SlidingWindow<NumericFeatureState>;
      stamp: number;
    }
  | {
      kind: 'categorical';
      name: string;
      labels: string;
      ref: CategoricalFeatureReference;
      window: SlidingWindow<CategoricalFeatureState>;
      stamp: number;
    };

/**
 * Builds the window for one feature. Histogram states use the coarse geometry: each numeric
 * state holds up to ~400 bin counts, so at 1,000 models x 20 features a 1-minute ring (61
 * states) would need ~5x the memory of a 5-minute one (13 states) for the same window length.
 */
export function makeTracker(name: string, mvLabels: string, ref: FeatureReference, g: WindowGeometry): FeatureTracker {
  const labels = flatString(`${mvLabels},feature="${escapeLabelValue(name)}"`);
  markShared(ref); // read-only: the states point to it, a transaction need not copy it
  if (ref.kind === 'numeric') {
    return {
      kind: 'numeric',
      name,
      labels,
      ref,
      window: new SlidingWindow((role) => new NumericFeatureState(ref, role), g.coarseMs, g.coarseBuckets),
      stamp: -1,
    };
  }
  return {
    kind: 'categorical',
    name,
    labels,
    ref,
    window: new SlidingWindow((role) => new CategoricalFeatureState(ref, g.maxCategories, role), g.coarseMs, g.coarseBuckets),
    stamp: -1,
  };
}

/** Adds one observed value (or its absence) to a tracker's bucket and running total. */
export function observe(
  t: FeatureTracker,
  time: number,
  value: number | string | null | undefined,
): 'ok' | 'wrong_type' | 'folded' | 'outside' {
  if (t.kind === 'numeric') {
    const b = t.window.bucketAt(time);
    if (!b) return 'outside';
    if (value === null || value === undefined) {
      b.addMissing();
      t.window.total.addMissing();
    } else if (typeof value === 'number') {
      b.add(value);
      t.window.total.add(value);
    } else return 'wrong_type';
    return 'ok';
  }
  const b = t.window.bucketAt(time);
  if (!b) return 'outside';
  if (value === null || value === undefined) {
    b.addMissing();
    t.window.total.addMissing();
    return 'ok';
  }
  if (typeof value !== 'string') return 'wrong_type';
  b.add(value);
  return t.window.total.add(value) ? 'ok' : 'folded';
}

/** Counters (never reset while the process runs) and windows of one model version. */
export class VersionState {
  readonly labels: string;
  lastSeen = 0;
  /**
   * Bumped by every change to what this version exposes (events, labels, references, buckets
   * expiring), so a scrape can reuse the text it rendered when nothing changed since.
   */
  revision = 0;

  predictions = 0;
  readonly errors = new Map<string, number>();
  /** Non-cumulative counts per latency bucket; the last slot is +Inf. */
  readonly latencyBuckets = new Float64Array(LATENCY_BUCKETS_SECONDS.length + 1);
  latencySum = 0;
  latencyCount = 0;
  feedbackJoined = 0;
  feedbackDuplicate = 0;
  correct = 0;
  labeled = 0;
  unknownFeature = 0;
  wrongType = 0;

  readonly windowPredictions: SlidingWindow<CountState>;
  /** Confusion counts at fine resolution (fed without probabilities). */
  classification?: SlidingWindow<ClassificationState>;
  /** Probability-based states (AUC histograms, log loss) at coarse resolution. */
  probabilities?: SlidingWindow<ClassificationState>;
  /** The adaptive ROC AUC grid `probabilities`' states share. */
  private scoreGrid?: ScoreGrid;
  regression?: SlidingWindow<RegressionState>;

  reference?: ReferenceProfile;
  /** Label-free estimate, when the reference carries a calibration (classification only). */
  estimate?: EstimateTracker;
  /** Label coverage, pending ages and label delay. */
  readonly labelTracking: LabelTracking;
  trackers: FeatureTracker[] = [];
  readonly trackerByName = new Map<string, FeatureTracker>();
  predictionTracker?: FeatureTracker;

  constructor(
    readonly name: string,
    modelLabel: string,
    private readonly g: WindowGeometry,
  ) {
    this.labels = flatString(`model="${modelLabel}",version="${escapeLabelValue(name)}"`);
    this.windowPredictions = new SlidingWindow(() => new CountState(), g.fineMs, g.fineBuckets);
    this.labelTracking = new LabelTracking(g.fineMs, g.fineBuckets);
  }

  /**
   * Inside an ingest transaction (windows/txn.ts), saves this version's counters, maps and
   * label tracking the first time the batch touches it; windows save themselves. Every writer
   * of the fields above calls it first.
   */
  touch(): void {
    const txn = activeTxn();
    if (txn === undefined || txn.id === this.txnId) return;
    this.txnId = txn.id;
    txn.saveFields(this);
    txn.saveFields(this.labelTracking);
    txn.save(this.labelTracking.pending);
  }
  private txnId = 0;

  /** Allocates the quality windows once the model's task is known. */
  ensureTaskWindows(task: Task): void {
    this.touch();
    this.revision++;
    if (task === 'classification') {
      this.classification ??= new SlidingWindow((role) => new ClassificationState(role), this.g.fineMs, this.g.fineBuckets);
      // One adaptive ROC AUC grid per window, shared by its total and buckets (see ScoreGrid).
      if (!this.probabilities) {
        const grid = (this.scoreGrid = new ScoreGrid());
        this.probabilities = new SlidingWindow((role) => new ClassificationState(role, true, grid), this.g.coarseMs, this.g.coarseBuckets);
      }
    } else {
      this.regression ??= new SlidingWindow(() => new RegressionState(), this.g.fineMs, this.g.fineBuckets);
    }
  }

  /**
   * Sizes every probability state (buckets included) for the model's k classes at once, so the
   * window does not grow bucket by bucket as classes reach each one.
   */
  reserveClasses(k: number): void {
    if (!this.probabilities || k <= this.reservedClasses) return;
    this.touch();
    this.reservedClasses = k;
    this.probabilities.forEachState((s) => s.reserve(k));
  }
  private reservedClasses = 0;

  /** Replaces the reference; drift windows restart empty because their bins depend on it. */
  setReference(profile: ReferenceProfile): void {
    this.touch();
    this.revision++;
    this.reference = profile;
    this.trackers = Object.entries(profile.features).map(([name, ref]) => makeTracker(name, this.labels, ref, this.g));
    this.trackerByName.clear();
    for (const t of this.trackers) this.trackerByName.set(t.name, t);
    this.predictionTracker = profile.prediction ? makeTracker('__prediction__', this.labels, profile.prediction, this.g) : undefined;
    this.estimate = profile.calibration ? makeEstimateTracker(profile.calibration, this.g.coarseMs, this.g.coarseBuckets) : undefined;
  }

  /**
   * Before the probabilities window counts a scored event (after `advance`): at the first of an
   * interval, its quantile grids' layouts for the interval are decided (ScoreGrid.relayout) —
   * from the reference's scores, for the index `classIndex` gives the reference's positive class,
   * while the window holds none yet (only then is the seed built: this runs for every scored event).
   */
  beforeScored(classIndex: (name: string) => number | undefined): void {
    if (!this.probabilities || !this.scoreGrid) return;
    this.scoreGrid.relayout(this.probabilities.epoch, this.probabilities.total, () => {
      const layout = this.reference?.scoreLayout;
      const c = layout && classIndex(layout.positiveClass);
      return c === undefined ? undefined : { c, starts: Float64Array.from(layout!.starts) };
    });
  }

  /** How far (ms) the windows have moved: a restored version's windows may be ahead of the clock (SteadyClock.absorb). */
  get windowTime(): number {
    return this.windowPredictions.time;
  }

  advance(now: number): void {
    this.touch();
    let expired = this.windowPredictions.advance(now);
    if (this.classification?.advance(now)) expired = true;
    if (this.probabilities?.advance(now)) {
      expired = true;
      // The adaptive grid's cells only coarsen while the window holds scores (they follow every
      // score it was given). Once every scored bucket has left, none of those scores is in the
      // window any more: the grid starts again at its finest, so a version whose scores collapse
      // into a band after a quiet spell resolves it like a new one.
      if (this.probabilities.total.scored === 0) this.scoreGrid?.reset();
    }
    if (this.regression?.advance(now)) expired = true;
    for (const t of this.trackers) if (t.window.advance(now)) expired = true;
    if (this.predictionTracker?.window.advance(now)) expired = true;
    if (this.estimate?.window.advance(now)) expired = true;
    if (this.labelTracking.advance(now)) expired = true;
    if (expired) this.revision++;
  }

  observeLatency(ms: number): void {
    this.touch();
    const s = ms / 1000;
    let i = 0;
    while (i < LATENCY_BUCKETS_SECONDS.length && s > LATENCY_BUCKETS_SECONDS[i]) i++;
    this.latencyBuckets[i]++;
    this.latencySum += s;
    this.latencyCount++;
  }
}
