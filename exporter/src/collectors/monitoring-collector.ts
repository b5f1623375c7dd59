import type { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { CATALOG, LATENCY_BUCKETS_SECONDS, type MetricSpec } from '../metrics/catalog.js';
import { categoricalDrift, classificationMetrics, featureMissingRatio, numericDrift, regressionMetrics, rocAuc } from '../stats/index.js';
import { escapeLabelValue } from '../ingest/bounded-names.js';
import type { Monitor } from '../ingest/monitor.js';
import type { FeatureTracker, VersionState } from '../ingest/version-state.js';
import type { ModelState } from '../ingest/model-state.js';
import { FamilyWriter } from './family-writer.js';

/** The catalog families this collector renders (the registry feature renders its own). */
const FAMILIES = [
  'predictions',
  'predictionErrors',
  'predictionLatency',
  'feedback',
  'correctPredictions',
  'labeledPredictions',
  'schemaViolations',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'logLoss',
  'mae',
  'rmse',
  'windowLabeled',
  'windowPredictions',
  'featurePsi',
  'featureKsStatistic',
  'featureKsPvalue',
  'featureJsDistance',
  'featureMissing',
  'featureOutOfRange',
  'predictionPsi',
  'businessKpi',
  'retrainRecommended',
  'dropped',
  'ingestedEvents',
] as const satisfies ReadonlyArray<keyof typeof CATALOG>;

type Family = (typeof FAMILIES)[number];
type Writers = Record<Family, FamilyWriter>;

const LE = [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'];

/**
 * Computes every monitoring series at scrape time from window state: nothing is updated per
 * event. One render serves all families of a scrape (prom-client asks each family in the
 * same tick); the next scrape renders afresh.
 */
export class MonitoringCollector {
  private rendered: Writers | undefined;

  constructor(
    private readonly monitor: Monitor,
    private readonly config: Config,
  ) {}

  register(registry: Registry): void {
    for (const key of FAMILIES) {
      const spec: MetricSpec = CATALOG[key];
      const family = {
        name: spec.name,
        help: spec.help,
        type: spec.type,
        get: async () => this.family(key).toPromClient(),
        getForPromString: async () => this.family(key).toPromClient(),
        reset: () => undefined,
      };
      registry.registerMetric(family as unknown as Parameters<Registry['registerMetric']>[0]);
    }
  }

  private family(key: Family): FamilyWriter {
    if (!this.rendered) {
      this.rendered = this.render();
      // Families of one scrape are requested synchronously; forget the render afterwards.
      setImmediate(() => {
        this.rendered = undefined;
      });
    }
    return this.rendered[key];
  }

  /** Renders every family from the current state. */
  render(): Writers {
    const w = Object.fromEntries(FAMILIES.map((k) => [k, new FamilyWriter(CATALOG[k])])) as Writers;
    const now = this.monitor.now();
    for (const model of this.monitor.models.values()) {
      for (const v of model.versions.values()) {
        v.advance(now);
        this.renderVersion(w, model, v);
      }
      if (model.feedbackUnknown > 0) w.feedback.sample(`model="${model.label}",version="__unknown__",outcome="unknown_prediction"`, model.feedbackUnknown);
      for (const [kpi, value] of model.kpis) w.businessKpi.sample(`model="${model.label}",kpi="${escapeLabelValue(kpi)}"`, value);
    }
    for (const [reason, n] of this.monitor.dropped.counts) w.dropped.sample(`reason="${reason}"`, n);
    for (const [endpoint, n] of Object.entries(this.monitor.ingested)) w.ingestedEvents.sample(`endpoint="${endpoint}"`, n);
    return w;
  }

  private renderVersion(w: Writers, model: ModelState, v: VersionState): void {
    const mv = v.labels;
    w.predictions.sample(mv, v.predictions);
    for (const [reason, n] of v.errors) w.predictionErrors.sample(`${mv},reason="${escapeLabelValue(reason)}"`, n);
    let cumulative = 0;
    for (let i = 0; i < LE.length; i++) {
      cumulative += v.latencyBuckets[i];
      w.predictionLatency.sample(`${mv},le="${LE[i]}"`, cumulative, '_bucket');
    }
    w.predictionLatency.sample(mv, v.latencySum, '_sum');
    w.predictionLatency.sample(mv, v.latencyCount, '_count');
    w.feedback.sample(`${mv},outcome="joined"`, v.feedbackJoined);
    w.feedback.sample(`${mv},outcome="duplicate"`, v.feedbackDuplicate);
    w.labeledPredictions.sample(mv, v.labeled);
    w.schemaViolations.sample(`${mv},kind="unknown_feature"`, v.unknownFeature);
    w.schemaViolations.sample(`${mv},kind="wrong_type"`, v.wrongType);
    w.windowPredictions.sample(mv, v.windowPredictions.total.count);

    let accuracy: number | undefined;
    if (v.classification && v.probabilities) {
      w.correctPredictions.sample(mv, v.correct);
      const names = model.classes.names;
      const m = classificationMetrics(v.classification.total, names);
      w.windowLabeled.sample(mv, v.classification.total.labeled);
      if (m) {
        accuracy = m.accuracy;
        w.accuracy.sample(mv, m.accuracy);
        for (const [cls, c] of Object.entries(m.perClass)) {
          const l = `${mv},class="${escapeLabelValue(cls)}"`;
          w.precision.sample(l, c.precision);
          w.recall.sample(l, c.recall);
          w.f1.sample(l, c.f1);
        }
        for (const [avg, c] of [['_macro', m.macro], ['_weighted', m.weighted]] as const) {
          const l = `${mv},class="${avg}"`;
          w.precision.sample(l, c.precision);
          w.recall.sample(l, c.recall);
          w.f1.sample(l, c.f1);
        }
      }
      const scored = v.probabilities.total;
      const auc = rocAuc(scored, Math.max(scored.classCount, names.length));
      if (auc !== undefined) w.rocAuc.sample(mv, auc);
      const ll = scored.meanLogLoss();
      if (ll !== undefined) w.logLoss.sample(mv, ll);
    } else if (v.regression) {
      w.windowLabeled.sample(mv, v.regression.total.labeled);
      const r = regressionMetrics(v.regression.total);
      if (r) {
        w.mae.sample(mv, r.mae);
        w.rmse.sample(mv, r.rmse);
      }
    }

    let maxPsi = 0;
    for (const t of v.trackers) {
      const psi = this.renderFeature(w, t);
      if (psi !== undefined && psi > maxPsi) maxPsi = psi;
    }
    if (v.predictionTracker) {
      const psi = driftPsi(v.predictionTracker);
      if (psi !== undefined) w.predictionPsi.sample(mv, psi);
    }
    const { minAccuracy, maxPsi: psiLimit } = this.config.retrain;
    const retrain = (accuracy !== undefined && accuracy < minAccuracy) || maxPsi > psiLimit;
    w.retrainRecommended.sample(mv, retrain ? 1 : 0);
  }

  /** Drift and quality series of one feature; returns its PSI (undefined for an empty window). */
  private renderFeature(w: Writers, t: FeatureTracker): number | undefined {
    const l = t.labels;
    const missing = featureMissingRatio(t.window.total);
    if (missing !== undefined) w.featureMissing.sample(l, missing);
    if (t.kind === 'numeric') {
      const d = numericDrift(t.ref, t.window.total);
      if (!d) return undefined;
      w.featurePsi.sample(l, d.psi);
      w.featureKsStatistic.sample(l, d.ksStatistic);
      w.featureKsPvalue.sample(l, d.ksPValue);
      w.featureOutOfRange.sample(l, d.outOfRangeRatio);
      return d.psi;
    }
    const d = categoricalDrift(t.ref, t.window.total);
    if (!d) return undefined;
    w.featurePsi.sample(l, d.psi);
    w.featureJsDistance.sample(l, d.jsDistance);
    return d.psi;
  }
}

function driftPsi(t: FeatureTracker): number | undefined {
  return t.kind === 'numeric' ? numericDrift(t.ref, t.window.total)?.psi : categoricalDrift(t.ref, t.window.total)?.psi;
}
