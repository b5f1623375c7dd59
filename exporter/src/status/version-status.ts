import type { Config } from '../config/config.js';
import { retrainThresholdSource, retrainThresholdsFor } from '../config/retrain-thresholds.js';
import type { ModelState } from '../ingest/model-state.js';
import type { FeatureTracker, VersionState } from '../ingest/version-state.js';
import { LATENCY_BUCKETS_SECONDS } from '../metrics/catalog.js';
import type { StageGates } from '../registry/types.js';
import {
  categoricalDrift,
  classificationMetrics,
  estimatedMetrics,
  featureMissingRatio,
  numericDrift,
  regressionMetrics,
  rocAucWithBound,
  wilsonUpper,
} from '../stats/index.js';

/** PSI above which a shift counts as significant (the conventional 0.25; 0.1–0.25 is moderate). */
export const PSI_SIGNIFICANT = 0.25;
/**
 * Fewer latency observations than this: p95 is reported but not judged against `max_latency_ms`.
 * Below 20 observations the 95th percentile is the largest one, and interpolating inside its
 * histogram bucket (as Prometheus's histogram_quantile does) can put it well above anything seen:
 * one 14 ms request reads as p95 24 ms in the (10, 25] ms bucket.
 */
export const MIN_LATENCY_EVENTS_TO_JUDGE = 20;
/** Share of predictions that failed above which serving is degraded. */
export const MAX_ERROR_RATIO = 0.05;
/** Fewer scored predictions than this: the label-free estimate is reported but not judged (as the rules' estimate.minEvents). */
export const MIN_EVENTS_TO_JUDGE_ESTIMATE = 200;

export type Verdict = 'healthy' | 'degraded' | 'failing' | 'no_data';

export interface HealthReason {
  /** What was checked: `min_accuracy`, `retrain_min_accuracy`, `estimated_accuracy`, `feature_psi`, `output_psi`, `max_latency_ms`, `error_ratio`, `labels`. */
  check: string;
  severity: 'info' | 'warning' | 'critical';
  /** The measured value and the bound it was compared with (for accuracy: its Wilson 95% upper end). */
  value: number;
  threshold: number;
  feature?: string;
  message: string;
}

export interface FeatureStatus {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Non-missing values in the window: the sample the drift statistics rest on (modelwatch_feature_window_values). */
  count: number;
  psi: number | null;
  ks_statistic?: number | null;
  ks_pvalue?: number | null;
  js_distance?: number | null;
  missing_ratio: number | null;
  out_of_range_ratio?: number | null;
}

export interface VersionStatus {
  model: string;
  version: string;
  window: { seconds: number; predictions: number; labeled: number };
  quality:
    | {
        task: 'classification';
        labeled: number;
        accuracy: number | null;
        macro_f1: number | null;
        roc_auc: number | null;
        /** Largest possible |roc_auc − exact ROC AUC| (stats/roc-auc.ts). */
        roc_auc_error_bound: number | null;
        log_loss: number | null;
      }
    | { task: 'regression'; labeled: number; mae: number | null; rmse: number | null }
    | { task: null; labeled: 0 };
  /** Label-free estimate (CBPE) over the window; null without a calibrated reference. */
  estimate: {
    events: number;
    accuracy: number | null;
    accuracy_lower: number | null;
    accuracy_upper: number | null;
    macro_f1: number | null;
    roc_auc: number | null;
  } | null;
  /** How far labels have come: share of the window's predictions labelled, predictions still waiting. */
  labels: { coverage: number | null; pending: number };
  features: FeatureStatus[];
  prediction_psi: number | null;
  /** Since the exporter started (counters), not windowed. */
  serving: {
    predictions: number;
    errors: number;
    error_ratio: number | null;
    latency_ms: { mean: number | null; p50: number | null; p95: number | null };
  };
  health: { verdict: Verdict; reasons: HealthReason[] };
}

/**
 * What the exporter computed for one model version, as JSON: window quality with its sample
 * size, drift and data quality per feature, serving stats, and a health verdict whose reasons
 * name each violated bound: the stage's gates (`gates`: min_accuracy against the upper end of the
 * window accuracy's Wilson 95% interval — stats/wilson.ts, the definition of the recording rule
 * the accuracy alerts use — and max_latency_ms against p95 latency), the retrain thresholds (MODELWATCH_RETRAIN_MIN_ACCURACY,
 * MODELWATCH_RETRAIN_MAX_PSI, or the model's own in MODELWATCH_RETRAIN_THRESHOLDS_FILE), PSI_SIGNIFICANT and MAX_ERROR_RATIO. Critical → failing,
 * warning → degraded. Reads the same window state as /metrics.
 *
 * It first advances the version's windows to `now`: the same idempotent step the window clock
 * (ingest/window-clock.ts) takes every second, which only expires buckets older than the window.
 * A read does it too because status answers for a caller's `now` (tests and `--demo` inject a
 * clock the timer does not follow), and a verdict must never count events that have left the
 * window. It adds nothing and changes no count a scrape would not have dropped a second later.
 */
export function versionStatus(model: ModelState, v: VersionState, config: Config, gates: StageGates, now: number): VersionStatus {
  v.advance(now);
  const quality = qualityOf(model, v);
  const features = v.trackers.map(featureStatus);
  const serving = servingOf(v);
  const window = { seconds: config.windowSeconds, predictions: v.windowPredictions.total.count, labeled: quality.labeled };
  const reasons: HealthReason[] = [];
  const { minAccuracy, maxPsi } = retrainThresholdsFor(config.retrain, model.name);
  const estimate = estimateOf(v);
  const labels = {
    coverage: window.predictions > 0 ? Math.min(1, v.labelTracking.labelled.total.count / window.predictions) : null,
    pending: v.labelTracking.pending.total,
  };
  if (
    estimate?.accuracy_upper != null &&
    estimate.events >= MIN_EVENTS_TO_JUDGE_ESTIMATE &&
    gates.min_accuracy !== undefined &&
    estimate.accuracy_upper < gates.min_accuracy
  ) {
    reasons.push({
      check: 'estimated_accuracy',
      severity: 'warning',
      value: estimate.accuracy_upper,
      threshold: gates.min_accuracy,
      message: `estimated accuracy (no labels) at most ${round(estimate.accuracy_upper)} (95% band) < gate min_accuracy ${gates.min_accuracy}`,
    });
  }

  if (quality.task === 'classification' && quality.accuracy !== null) {
    // The same minimum as modelwatch_retrain_recommended and the accuracy alerts (MODELWATCH_RETRAIN_MIN_LABELED).
    const minLabeled = config.retrain.minLabeled;
    if (quality.labeled < minLabeled) {
      reasons.push({
        check: 'labels',
        severity: 'info',
        value: quality.labeled,
        threshold: minLabeled,
        message: `only ${quality.labeled} label${quality.labeled === 1 ? '' : 's'} in the window (< MODELWATCH_RETRAIN_MIN_LABELED ${minLabeled}): accuracy not judged`,
      });
    } else {
      // As the accuracy alerts and modelwatch_retrain_recommended: the upper end of the Wilson 95%
      // interval is judged, not the point, so a noisy point under a threshold is no verdict.
      const upper = wilsonUpper(quality.accuracy, quality.labeled)!;
      const seen = `window accuracy ${round(quality.accuracy)} (95% upper bound ${round(upper)}, n=${quality.labeled})`;
      if (gates.min_accuracy !== undefined && upper < gates.min_accuracy) {
        reasons.push({
          check: 'min_accuracy',
          severity: 'critical',
          value: upper,
          threshold: gates.min_accuracy,
          message: `${seen} < gate min_accuracy ${gates.min_accuracy}`,
        });
      } else if (upper < minAccuracy) {
        reasons.push({
          check: 'retrain_min_accuracy',
          severity: 'warning',
          value: upper,
          threshold: minAccuracy,
          message: `${seen} < ${retrainThresholdSource(config.retrain, model.name, 'minAccuracy')} ${minAccuracy}`,
        });
      }
    }
  }
  // As modelwatch_retrain_recommended and the drift alerts: PSI over a handful of values is noise,
  // and the handful is the feature's own (its non-missing values), not the version's events.
  for (const f of features) {
    if (f.psi === null || f.psi <= maxPsi) continue;
    if (f.count < config.retrain.minDriftEvents) {
      reasons.push({
        check: 'feature_psi',
        severity: 'info',
        value: f.psi,
        threshold: config.retrain.minDriftEvents,
        feature: f.name,
        message: `${f.name} PSI ${round(f.psi)} rests on only ${f.count} value${f.count === 1 ? '' : 's'} (< MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS ${config.retrain.minDriftEvents}): not judged`,
      });
      continue;
    }
    const critical = f.psi > PSI_SIGNIFICANT;
    reasons.push({
      check: 'feature_psi',
      severity: critical ? 'critical' : 'warning',
      value: f.psi,
      threshold: critical ? PSI_SIGNIFICANT : maxPsi,
      feature: f.name,
      message: `${f.name} PSI ${round(f.psi)} > ${critical ? `${PSI_SIGNIFICANT} (significant shift)` : `${retrainThresholdSource(config.retrain, model.name, 'maxPsi')} ${maxPsi}`}`,
    });
  }
  // The output's PSI as modelwatch_retrain_recommended and the rules' reason="drift" judge it: on
  // the version's drift-window events (the most any tracker holds), not on its own values alone.
  const outputPsi = v.predictionTracker ? psiOf(v.predictionTracker) : null;
  if (outputPsi !== null && outputPsi > maxPsi) {
    const trackers = v.predictionTracker ? [...v.trackers, v.predictionTracker] : v.trackers;
    const events = Math.max(0, ...trackers.map((t) => t.window.total.count + t.window.total.missing));
    const critical = outputPsi > PSI_SIGNIFICANT;
    reasons.push(
      events < config.retrain.minDriftEvents
        ? {
            check: 'output_psi',
            severity: 'info',
            value: outputPsi,
            threshold: config.retrain.minDriftEvents,
            message: `prediction PSI ${round(outputPsi)} rests on only ${events} event${events === 1 ? '' : 's'} (< MODELWATCH_RETRAIN_MIN_DRIFT_EVENTS ${config.retrain.minDriftEvents}): not judged`,
          }
        : {
            check: 'output_psi',
            severity: critical ? 'critical' : 'warning',
            value: outputPsi,
            threshold: critical ? PSI_SIGNIFICANT : maxPsi,
            message: `prediction PSI ${round(outputPsi)} > ${critical ? `${PSI_SIGNIFICANT} (significant shift)` : `${retrainThresholdSource(config.retrain, model.name, 'maxPsi')} ${maxPsi}`}`,
          },
    );
  }
  const p95 = serving.latency_ms.p95;
  if (p95 !== null && gates.max_latency_ms !== undefined && p95 > gates.max_latency_ms && v.latencyCount < MIN_LATENCY_EVENTS_TO_JUDGE) {
    reasons.push({
      check: 'max_latency_ms',
      severity: 'info',
      value: p95,
      threshold: MIN_LATENCY_EVENTS_TO_JUDGE,
      message: `p95 latency ${round(p95)} ms rests on only ${v.latencyCount} observation${v.latencyCount === 1 ? '' : 's'} (< ${MIN_LATENCY_EVENTS_TO_JUDGE}): not judged`,
    });
  } else if (p95 !== null && gates.max_latency_ms !== undefined && p95 > gates.max_latency_ms) {
    reasons.push({
      check: 'max_latency_ms',
      severity: 'critical',
      value: p95,
      threshold: gates.max_latency_ms,
      message: `p95 latency ${round(p95)} ms > gate max_latency_ms ${gates.max_latency_ms}`,
    });
  }
  if (serving.error_ratio !== null && serving.error_ratio > MAX_ERROR_RATIO) {
    reasons.push({
      check: 'error_ratio',
      severity: 'warning',
      value: serving.error_ratio,
      threshold: MAX_ERROR_RATIO,
      message: `${round(serving.error_ratio * 100)}% of predictions failed (> ${MAX_ERROR_RATIO * 100}%)`,
    });
  }
  const verdict: Verdict =
    window.predictions === 0 && serving.predictions === 0
      ? 'no_data'
      : reasons.some((r) => r.severity === 'critical')
        ? 'failing'
        : reasons.some((r) => r.severity === 'warning')
          ? 'degraded'
          : 'healthy';
  return {
    model: model.name,
    version: v.name,
    window,
    quality,
    estimate,
    labels,
    features,
    prediction_psi: outputPsi,
    serving,
    health: { verdict, reasons },
  };
}

function qualityOf(model: ModelState, v: VersionState): VersionStatus['quality'] {
  if (v.classification) {
    const total = v.classification.total;
    const m = classificationMetrics(total, model.classes.names);
    const scored = v.probabilities?.total;
    const auc = scored
      ? rocAucWithBound(scored, Math.max(scored.classCount, model.classes.names.length), model.aucClassIndex())
      : undefined;
    return {
      task: 'classification',
      labeled: total.labeled,
      accuracy: m?.accuracy ?? null,
      macro_f1: m?.macro.f1 ?? null,
      roc_auc: auc?.auc ?? null,
      roc_auc_error_bound: auc?.bound ?? null,
      log_loss: scored?.meanLogLoss() ?? null,
    };
  }
  if (v.regression) {
    const r = regressionMetrics(v.regression.total);
    return { task: 'regression', labeled: v.regression.total.labeled, mae: r?.mae ?? null, rmse: r?.rmse ?? null };
  }
  return { task: null, labeled: 0 };
}

function estimateOf(v: VersionState): VersionStatus['estimate'] {
  const e = v.estimate;
  if (!e) return null;
  const m = estimatedMetrics(e.window.total, e.classNames);
  const f1 = m?.macro?.f1 ?? (m ? Object.values(m.perClass)[0]?.f1 : undefined);
  return {
    events: e.window.total.count,
    accuracy: m?.accuracy ?? null,
    accuracy_lower: m?.accuracyLower ?? null,
    accuracy_upper: m?.accuracyUpper ?? null,
    macro_f1: f1 ?? null,
    roc_auc: m?.rocAuc ?? null,
  };
}

function featureStatus(t: FeatureTracker): FeatureStatus {
  const missing = featureMissingRatio(t.window.total) ?? null;
  if (t.kind === 'numeric') {
    const d = numericDrift(t.ref, t.window.total);
    return {
      name: t.name,
      kind: 'numeric',
      count: t.window.total.count,
      psi: d?.psi ?? null,
      ks_statistic: d?.ksStatistic ?? null,
      ks_pvalue: d?.ksPValue ?? null,
      missing_ratio: missing,
      out_of_range_ratio: d?.outOfRangeRatio ?? null,
    };
  }
  const d = categoricalDrift(t.ref, t.window.total);
  return {
    name: t.name,
    kind: 'categorical',
    count: t.window.total.count,
    psi: d?.psi ?? null,
    js_distance: d?.jsDistance ?? null,
    missing_ratio: missing,
  };
}

function psiOf(t: FeatureTracker): number | null {
  return (t.kind === 'numeric' ? numericDrift(t.ref, t.window.total)?.psi : categoricalDrift(t.ref, t.window.total)?.psi) ?? null;
}

function servingOf(v: VersionState): VersionStatus['serving'] {
  let errors = 0;
  for (const n of v.errors.values()) errors += n;
  return {
    predictions: v.predictions,
    errors,
    error_ratio: v.predictions > 0 ? errors / v.predictions : null,
    latency_ms: {
      mean: v.latencyCount > 0 ? (v.latencySum / v.latencyCount) * 1000 : null,
      p50: latencyQuantile(v, 0.5),
      p95: latencyQuantile(v, 0.95),
    },
  };
}

/**
 * Quantile of the latency histogram in ms, interpolated linearly inside the bucket the way
 * Prometheus's histogram_quantile does (the +Inf bucket answers with the largest finite bound).
 */
export function latencyQuantile(v: Pick<VersionState, 'latencyBuckets' | 'latencyCount'>, q: number): number | null {
  if (v.latencyCount === 0) return null;
  const rank = q * v.latencyCount;
  let cumulative = 0;
  for (let i = 0; i < v.latencyBuckets.length; i++) {
    const before = cumulative;
    cumulative += v.latencyBuckets[i];
    if (cumulative >= rank && v.latencyBuckets[i] > 0) {
      if (i >= LATENCY_BUCKETS_SECONDS.length) return LATENCY_BUCKETS_SECONDS[LATENCY_BUCKETS_SECONDS.length - 1] * 1000;
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_SECONDS[i - 1];
      const upper = LATENCY_BUCKETS_SECONDS[i];
      return (lower + ((upper - lower) * (rank - before)) / v.latencyBuckets[i]) * 1000;
    }
  }
  return null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
