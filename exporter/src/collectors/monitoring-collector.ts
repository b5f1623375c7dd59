import type { Config } from '../config/config.js';
import { retrainThresholdsFor } from '../config/retrain-thresholds.js';
import { CATALOG, LATENCY_BUCKETS_SECONDS } from '../metrics/catalog.js';
import {
  categoricalDrift,
  classificationMetrics,
  featureMissingRatio,
  numericDrift,
  regressionMetrics,
  rocAucWithBound,
  wilsonInterval,
} from '../stats/index.js';
import { escapeLabelValue } from '../ingest/bounded-names.js';
import type { Monitor } from '../ingest/monitor.js';
import type { FeatureTracker, VersionState } from '../ingest/version-state.js';
import type { ModelState } from '../ingest/model-state.js';
import { ESTIMATE_FAMILIES, renderEstimateLines } from './estimate-lines.js';
import type { Collector, ScrapeErrors } from './collector.js';
import { familyHeader, type ExpositionFormat, type ExpositionWriter } from './exposition-writer.js';
import { FamilyParts, type RenderedUnit } from './family-writer.js';

/** The catalog families this collector renders (the registry feature renders its own). */
const FAMILIES = [
  'predictions',
  'predictionErrors',
  'predictionLatency',
  'feedback',
  'labelsHeld',
  'correctPredictions',
  'labeledPredictions',
  'schemaViolations',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'precisionAveraged',
  'recallAveraged',
  'f1Averaged',
  'rocAuc',
  'rocAucErrorBound',
  'logLoss',
  'mae',
  'rmse',
  'windowLabeled',
  'windowPredictions',
  'accuracyLower',
  'accuracyUpper',
  'driftWindowEvents',
  'featurePsi',
  'featureKsStatistic',
  'featureKsPvalue',
  'featureJsDistance',
  'featureMissing',
  'featureOutOfRange',
  'featureWindowValues',
  'predictionPsi',
  'businessKpi',
  'retrainRecommended',
  'dropped',
  'ingestedEvents',
  'ingestFailures',
  'journalReplayedEvents',
  ...ESTIMATE_FAMILIES,
] as const satisfies ReadonlyArray<keyof typeof CATALOG>;

type Family = (typeof FAMILIES)[number];
/** Family index by key, for FamilyParts. */
const F = Object.fromEntries(FAMILIES.map((k, i) => [k, i])) as Record<Family, number>;
const SPECS = FAMILIES.map((k) => CATALOG[k]);
const NAMES = SPECS.map((spec) => spec.name);
/** Each family's header, encoded once per format. */
const HEADERS: Record<ExpositionFormat, Buffer[]> = {
  prometheus: SPECS.map((spec) => Buffer.from(familyHeader(spec, 'prometheus'), 'utf8')),
  openmetrics: SPECS.map((spec) => Buffer.from(familyHeader(spec, 'openmetrics'), 'utf8')),
};

const LE = [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'];

/** A version's rendered lines and what they were rendered from. */
interface CachedVersion {
  revision: number;
  classCount: number;
  unit: RenderedUnit;
}

/**
 * Computes every monitoring series at scrape time from window state: nothing is updated per
 * event. A version's lines are rendered again only when its state changed since the previous
 * scrape (events, labels, a bucket sliding out of a window: see VersionState.revision);
 * otherwise its text is reused as it is — it would render identically, so nothing is served
 * stale. Fleet-wide lines (KPIs, unknown feedback, drops) are rendered every scrape.
 *
 * Why this collector formats its own bytes instead of writing samples through
 * ExpositionWriter.sample(): it owns ~190k of a full fleet's series, and a scrape where
 * nothing changed costs one copy of cached bytes instead of formatting every line again
 * (see `npm run bench`, "nothing changed since the last scrape"). The sample lines are the
 * same in both exposition formats, so only the headers depend on the format.
 *
 * The scrape reads and never advances the windows: they advance from the clock
 * (ingest/window-clock.ts) and at ingest, so two scrapes at the same state give the same body.
 */
export class MonitoringCollector implements Collector {
  readonly name = 'monitoring';
  private readonly cache = new WeakMap<VersionState, CachedVersion>();
  /** Line prefixes of each feature's families, built once per tracker (see FamilyParts.samplePrefixed). */
  private readonly featurePrefixes = new WeakMap<FeatureTracker, FeaturePrefixes>();
  /** One writer reused for every version a scrape renders. */
  private readonly writer = new FamilyParts(NAMES);

  constructor(
    private readonly monitor: Monitor,
    private readonly config: Config,
    private readonly errors: ScrapeErrors,
  ) {}

  /** Every monitoring family, headers and samples, from the current state. */
  collect(out: ExpositionWriter): void {
    const units: RenderedUnit[] = [];
    const fleet = new FamilyParts(NAMES);
    for (const model of this.monitor.models.values()) {
      for (const v of model.versions.values()) {
        const unit = this.versionLines(model, v);
        if (unit) units.push(unit);
      }
      if (model.feedbackUnknown > 0)
        fleet.sample(F.feedback, `model="${model.label}",version="__unknown__",outcome="unknown_prediction"`, model.feedbackUnknown);
      if (model.held.size > 0) fleet.sample(F.labelsHeld, `model="${model.label}"`, model.held.size);
      for (const [kpi, value] of model.kpis) fleet.sample(F.businessKpi, `model="${model.label}",kpi="${escapeLabelValue(kpi)}"`, value);
    }
    for (const [reason, n] of this.monitor.dropped.counts) fleet.sample(F.dropped, `reason="${reason}"`, n);
    for (const [endpoint, n] of Object.entries(this.monitor.ingested)) fleet.sample(F.ingestedEvents, `endpoint="${endpoint}"`, n);
    for (const [endpoint, n] of Object.entries(this.monitor.applyFailures)) fleet.sample(F.ingestFailures, `endpoint="${endpoint}"`, n);
    for (const [endpoint, n] of Object.entries(this.monitor.replayed)) fleet.sample(F.journalReplayedEvents, `endpoint="${endpoint}"`, n);
    units.push(fleet.render());

    // One copy of each unit's bytes into the body, family by family.
    const headers = HEADERS[out.format];
    let size = 0;
    for (const h of headers) size += h.length;
    for (const unit of units) size += unit.bytes.length;
    const body = Buffer.allocUnsafe(size);
    let at = 0;
    for (let f = 0; f < FAMILIES.length; f++) {
      at += headers[f].copy(body, at);
      for (const unit of units) {
        const from = unit.starts[f];
        const to = unit.starts[f + 1];
        if (to > from) at += unit.bytes.copy(body, at, from, to);
      }
    }
    if (at !== size) throw new Error(`exposition size mismatch (${at} of ${size} bytes)`);
    out.preRendered(SPECS, body);
  }

  /**
   * A version's lines: the cached ones while the version (and the model's classes) are
   * unchanged. A version whose state cannot be rendered is left out of this scrape (every
   * other version still renders), logged once and counted (issue 11).
   */
  private versionLines(model: ModelState, v: VersionState): RenderedUnit | undefined {
    const classCount = model.classes.size;
    const cached = this.cache.get(v);
    if (cached && cached.revision === v.revision && cached.classCount === classCount) return cached.unit;
    try {
      this.renderVersion(this.writer, model, v);
    } catch (err) {
      this.writer.discard();
      this.errors.failed(this.name, err, v.labels, { model: model.name, version: v.name });
      return undefined;
    }
    const unit = this.writer.render(cached?.unit);
    if (cached) {
      cached.revision = v.revision;
      cached.classCount = classCount;
      cached.unit = unit;
    } else this.cache.set(v, { revision: v.revision, classCount, unit });
    return unit;
  }

  private renderVersion(w: FamilyParts, model: ModelState, v: VersionState): void {
    const mv = v.labels;
    w.sample(F.predictions, mv, v.predictions);
    for (const [reason, n] of v.errors) w.sample(F.predictionErrors, `${mv},reason="${escapeLabelValue(reason)}"`, n);
    let cumulative = 0;
    for (let i = 0; i < LE.length; i++) {
      cumulative += v.latencyBuckets[i];
      w.sample(F.predictionLatency, `${mv},le="${LE[i]}"`, cumulative, '_bucket');
    }
    w.sample(F.predictionLatency, mv, v.latencySum, '_sum');
    w.sample(F.predictionLatency, mv, v.latencyCount, '_count');
    w.sample(F.feedback, `${mv},outcome="joined"`, v.feedbackJoined);
    w.sample(F.feedback, `${mv},outcome="duplicate"`, v.feedbackDuplicate);
    w.sample(F.labeledPredictions, mv, v.labeled);
    w.sample(F.schemaViolations, `${mv},kind="unknown_feature"`, v.unknownFeature);
    w.sample(F.schemaViolations, `${mv},kind="wrong_type"`, v.wrongType);
    w.sample(F.windowPredictions, mv, v.windowPredictions.total.count);

    // Upper end of the accuracy's Wilson 95% interval, and the labels it rests on.
    let accuracyUpper: number | undefined;
    let labeled = 0;
    if (v.classification && v.probabilities) {
      w.sample(F.correctPredictions, mv, v.correct);
      // Label values: a class name longer than the label bound is shortened (bounded-names.ts).
      const names = model.classes.labels;
      const m = classificationMetrics(v.classification.total, names);
      w.sample(F.windowLabeled, mv, v.classification.total.labeled);
      if (m) {
        labeled = m.labeled;
        w.sample(F.accuracy, mv, m.accuracy);
        const wilson = wilsonInterval(Math.round(m.accuracy * m.labeled), m.labeled);
        if (wilson) {
          w.sample(F.accuracyLower, mv, wilson.lo);
          w.sample(F.accuracyUpper, mv, wilson.hi);
          accuracyUpper = wilson.hi;
        }
        for (const [cls, c] of Object.entries(m.perClass)) {
          const l = `${mv},class="${escapeLabelValue(cls)}"`;
          w.sample(F.precision, l, c.precision);
          w.sample(F.recall, l, c.recall);
          w.sample(F.f1, l, c.f1);
        }
        for (const [average, c] of [
          ['macro', m.macro],
          ['weighted', m.weighted],
        ] as const) {
          const l = `${mv},average="${average}"`;
          w.sample(F.precisionAveraged, l, c.precision);
          w.sample(F.recallAveraged, l, c.recall);
          w.sample(F.f1Averaged, l, c.f1);
        }
      }
      const scored = v.probabilities.total;
      const auc = rocAucWithBound(scored, Math.max(scored.classCount, names.length), model.aucClassIndex());
      if (auc !== undefined) {
        w.sample(F.rocAuc, mv, auc.auc);
        // the histograms know how far off they can be: a narrow band among outliers can exceed 0.005
        w.sample(F.rocAucErrorBound, mv, auc.bound);
      }
      const ll = scored.meanLogLoss();
      if (ll !== undefined) w.sample(F.logLoss, mv, ll);
    } else if (v.regression) {
      w.sample(F.windowLabeled, mv, v.regression.total.labeled);
      const r = regressionMetrics(v.regression.total);
      if (r) {
        w.sample(F.mae, mv, r.mae);
        w.sample(F.rmse, mv, r.rmse);
      }
    }

    const { minLabeled, minDriftEvents } = this.config.retrain;
    let maxPsi = 0;
    let driftEvents = 0;
    for (const t of v.trackers) {
      const total = t.window.total;
      driftEvents = Math.max(driftEvents, total.count + total.missing);
      const psi = this.renderFeature(w, t);
      // A feature's PSI rests on its own values, not on the version's events: x on 2 of 100 events is noise.
      if (psi !== undefined && total.count >= minDriftEvents && psi > maxPsi) maxPsi = psi;
    }
    if (v.predictionTracker) {
      const total = v.predictionTracker.window.total;
      driftEvents = Math.max(driftEvents, total.count + total.missing);
      const psi = driftPsi(v.predictionTracker);
      if (psi !== undefined) w.sample(F.predictionPsi, mv, psi);
      // The output counts as the retraining rule counts it: on the version's drift-window events
      // (every tracker's are counted above), as ENOUGH_DRIFT_EVENTS in alert-rules/src/recording.ts.
      if (psi !== undefined && driftEvents >= minDriftEvents && psi > maxPsi) maxPsi = psi;
    }
    if (v.trackers.length > 0 || v.predictionTracker) w.sample(F.driftWindowEvents, mv, driftEvents);
    // Too few events say nothing: below the minimum sample sizes neither condition counts (maxPsi
    // only holds features with minDriftEvents values of their own, and the output's PSI once the
    // version's drift window holds minDriftEvents events). As the retraining alert,
    // accuracy counts only when even its interval's upper end is below the threshold: 54 right of
    // 63 (0.857) under 0.92 has upper end 0.923 and recommends nothing.
    const { minAccuracy, maxPsi: psiLimit } = retrainThresholdsFor(this.config.retrain, model.name);
    const retrain = (accuracyUpper !== undefined && labeled >= minLabeled && accuracyUpper < minAccuracy) || maxPsi > psiLimit;
    w.sample(F.retrainRecommended, mv, retrain ? 1 : 0);
    renderEstimateLines(w, F, v);
  }

  /** Drift and quality series of one feature; returns its PSI (undefined for an empty window). */
  private renderFeature(w: FamilyParts, t: FeatureTracker): number | undefined {
    let p = this.featurePrefixes.get(t);
    if (!p) this.featurePrefixes.set(t, (p = featurePrefixes(w, t.labels)));
    const missing = featureMissingRatio(t.window.total);
    if (missing !== undefined) {
      w.samplePrefixed(F.featureMissing, p.missing, missing);
      w.samplePrefixed(F.featureWindowValues, p.values, t.window.total.count);
    }
    if (t.kind === 'numeric') {
      const d = numericDrift(t.ref, t.window.total);
      if (!d) return undefined;
      w.samplePrefixed(F.featurePsi, p.psi, d.psi);
      w.samplePrefixed(F.featureKsStatistic, p.ks, d.ksStatistic);
      w.samplePrefixed(F.featureKsPvalue, p.ksPvalue, d.ksPValue);
      w.samplePrefixed(F.featureOutOfRange, p.outOfRange, d.outOfRangeRatio);
      return d.psi;
    }
    const d = categoricalDrift(t.ref, t.window.total);
    if (!d) return undefined;
    w.samplePrefixed(F.featurePsi, p.psi, d.psi);
    w.samplePrefixed(F.featureJsDistance, p.js, d.jsDistance);
    return d.psi;
  }
}

interface FeaturePrefixes {
  missing: string;
  values: string;
  psi: string;
  ks: string;
  ksPvalue: string;
  outOfRange: string;
  js: string;
}

function featurePrefixes(w: FamilyParts, labels: string): FeaturePrefixes {
  return {
    missing: w.keptPrefix(F.featureMissing, labels),
    values: w.keptPrefix(F.featureWindowValues, labels),
    psi: w.keptPrefix(F.featurePsi, labels),
    ks: w.keptPrefix(F.featureKsStatistic, labels),
    ksPvalue: w.keptPrefix(F.featureKsPvalue, labels),
    outOfRange: w.keptPrefix(F.featureOutOfRange, labels),
    js: w.keptPrefix(F.featureJsDistance, labels),
  };
}

function driftPsi(t: FeatureTracker): number | undefined {
  return t.kind === 'numeric' ? numericDrift(t.ref, t.window.total)?.psi : categoricalDrift(t.ref, t.window.total)?.psi;
}
