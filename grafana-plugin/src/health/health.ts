/**
 * Triage: one health state per model from live Prometheus samples, judged with the alert
 * rules' own thresholds and minimum sample sizes (./thresholds.ts). Pure: the models list and
 * the browser test both call it.
 */
import type { Sample, TriageSamples } from './queries';
import { rulesConfig, thresholdsFor } from './thresholds';

export type HealthState = 'critical' | 'warning' | 'nodata' | 'ok';

/** Worst first: a model with no data is shown above healthy ones, since silence may be the incident. */
export const STATE_ORDER: readonly HealthState[] = ['critical', 'warning', 'nodata', 'ok'];

export const STATE_LABEL: Record<HealthState, string> = { critical: 'Critical', warning: 'Warning', nodata: 'No data', ok: 'OK' };

export interface Reason {
  severity: 'critical' | 'warning' | 'nodata';
  version?: string;
  text: string;
}

export interface VersionSummary {
  version: string;
  stage: string;
  /** Share of the model's predictions in the window, 0..1; undefined without traffic. */
  share?: number;
}

export interface ModelHealth {
  model: string;
  state: HealthState;
  /** Most severe first. */
  reasons: Reason[];
  /** The version the worst reason is about, else the production version. */
  worstVersion?: VersionSummary;
  /** Firing ALERTS series of this model. */
  alerts: Sample[];
}

const fmt = (v: number) => v.toFixed(2);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function byVersion(samples: Sample[], model: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (s.labels.model === model && s.labels.version !== undefined) out.set(s.labels.version, s.value);
  return out;
}

function rank(severity: Reason['severity']): number {
  return STATE_ORDER.indexOf(severity);
}

/**
 * Accuracy reasons of one version: collapse (production only, critical), drop below validation, retraining gate.
 * Judged as alert-rules/src/alerts/quality.ts and retraining.ts judge: the upper end of the 95% interval
 * against each line; the text shows the point.
 */
function accuracyReason(model: string, version: string, stage: string, s: VersionInputs): Reason | undefined {
  if (s.accuracy === undefined || s.accuracyUpper === undefined || s.labeled === undefined) return undefined;
  // ENOUGH_LABELS in alert-rules/src/recording.ts: labeled per hour over the 1 h window.
  if (s.labeled < rulesConfig.minLabeledPerHour) return undefined;
  const t = thresholdsFor(model);
  const labels = `${Math.round(s.labeled)} labels`;
  const head = `v${version} accuracy ${fmt(s.accuracy)}`;
  const upper = s.accuracyUpper;
  if (s.validation !== undefined && stage === 'production' && upper < s.validation - t.accuracyCollapseMargin)
    return {
      severity: 'critical',
      version,
      text: `${head} < ${fmt(s.validation - t.accuracyCollapseMargin)} (validation ${fmt(s.validation)} − ${t.accuracyCollapseMargin}), ${labels}`,
    };
  if (upper < t.retrainAccuracyBelow)
    return { severity: 'warning', version, text: `${head} < ${fmt(t.retrainAccuracyBelow)} gate, ${labels}` };
  if (s.validation !== undefined && upper < s.validation - t.accuracyDropMargin)
    return {
      severity: 'warning',
      version,
      text: `${head} < ${fmt(s.validation - t.accuracyDropMargin)} (validation ${fmt(s.validation)} − ${t.accuracyDropMargin}), ${labels}`,
    };
  return undefined;
}

interface VersionInputs {
  accuracy?: number;
  /** Upper end of the accuracy's 95% Wilson interval. */
  accuracyUpper?: number;
  labeled?: number;
  validation?: number;
  rate?: number;
  errorRatio?: number;
  p99?: number;
}

/** Serving reasons (error ratio, p99 latency), only with enough traffic as the serving rules require. */
function servingReasons(model: string, version: string, s: VersionInputs): Reason[] {
  if (s.rate === undefined || !(s.rate > rulesConfig.minPredictionsPerSecond)) return [];
  const t = thresholdsFor(model);
  const out: Reason[] = [];
  const { ratioCritical, ratioWarning } = rulesConfig.errors;
  if (s.errorRatio !== undefined && s.errorRatio > ratioWarning) {
    const critical = s.errorRatio > ratioCritical;
    out.push({
      severity: critical ? 'critical' : 'warning',
      version,
      text: `v${version} errors ${pct(s.errorRatio)} > ${pct(critical ? ratioCritical : ratioWarning)}`,
    });
  }
  if (s.p99 !== undefined && Number.isFinite(s.p99) && s.p99 > t.latencyP99Seconds) {
    const critical = s.p99 > t.latencyP99CriticalSeconds;
    const limit = critical ? t.latencyP99CriticalSeconds : t.latencyP99Seconds;
    out.push({
      severity: critical ? 'critical' : 'warning',
      version,
      text: `v${version} p99 latency ${Math.round(s.p99 * 1000)} ms > ${Math.round(limit * 1000)} ms`,
    });
  }
  return out;
}

/**
 * Drift reasons of one version: features (and the output) at or above the PSI warning/critical levels,
 * each on its own sample as the drift alerts: a feature once it has the rules' minDriftEvents values
 * of its own (ENOUGH_FEATURE_VALUES in alert-rules/src/recording.ts), the output once the version's
 * drift windows hold minDriftEvents events (ENOUGH_DRIFT_EVENTS).
 */
function driftReasons(model: string, version: string, samples: TriageSamples): Reason[] {
  const mine = (s: Sample) => s.labels.model === model && s.labels.version === version;
  const min = rulesConfig.minDriftEvents;
  const values = new Map(samples.featureValues.filter(mine).map((s) => [s.labels.feature, s.value]));
  const { psiWarning, psiCritical } = rulesConfig.drift;
  const features = samples.featurePsi.filter((s) => mine(s) && s.value >= psiWarning && (values.get(s.labels.feature) ?? 0) >= min);
  const out: Reason[] = [];
  if (features.length > 0) {
    const worst = features.reduce((a, b) => (b.value > a.value ? b : a));
    out.push({
      severity: worst.value >= psiCritical ? 'critical' : 'warning',
      version,
      text: `${features.length} feature${features.length === 1 ? '' : 's'} drifting (v${version}; worst ${worst.labels.feature} PSI ${fmt(worst.value)} ≥ ${worst.value >= psiCritical ? psiCritical : psiWarning})`,
    });
  }
  const events = samples.driftEvents.find(mine)?.value;
  const output = samples.predictionPsi.find(mine);
  if (output && output.value >= psiWarning && events !== undefined && events >= min)
    out.push({
      severity: output.value >= psiCritical ? 'critical' : 'warning',
      version,
      text: `v${version} output drifting (PSI ${fmt(output.value)})`,
    });
  return out;
}

/**
 * Health of each model in `models` (registered names), worst first, then by name.
 * @param samples latest value of every TRIAGE_QUERIES series (see api/triage.ts)
 */
export function assessFleet(models: string[], samples: TriageSamples): ModelHealth[] {
  const out = models.map((model) => assessModel(model, samples));
  return out.sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.model.localeCompare(b.model));
}

export function assessModel(model: string, samples: TriageSamples): ModelHealth {
  const stages = new Map<string, string>();
  for (const s of samples.stage) if (s.labels.model === model && s.labels.version) stages.set(s.labels.version, s.labels.stage ?? '');
  const accuracy = byVersion(samples.accuracy, model);
  const accuracyUpper = byVersion(samples.accuracyUpper, model);
  const labeled = byVersion(samples.labeled, model);
  const validation = byVersion(samples.validationAccuracy, model);
  const predictions = byVersion(samples.predictions, model);
  const rate = byVersion(samples.predictionsRate, model);
  const errorRatio = byVersion(samples.errorRatio, model);
  const p99 = byVersion(samples.p99LatencySeconds, model);
  const versions = new Set([...stages.keys(), ...accuracy.keys(), ...predictions.keys(), ...rate.keys()]);
  const total = [...predictions.values()].reduce((a, b) => a + b, 0);
  const summary = (version: string): VersionSummary => ({
    version,
    stage: stages.get(version) ?? 'unregistered',
    share: total > 0 ? (predictions.get(version) ?? 0) / total : undefined,
  });

  const reasons: Reason[] = [];
  for (const version of [...versions].sort()) {
    const inputs: VersionInputs = {
      accuracy: accuracy.get(version),
      accuracyUpper: accuracyUpper.get(version),
      labeled: labeled.get(version),
      validation: validation.get(version),
      rate: rate.get(version),
      errorRatio: errorRatio.get(version),
      p99: p99.get(version),
    };
    const acc = accuracyReason(model, version, stages.get(version) ?? '', inputs);
    if (acc) reasons.push(acc);
    reasons.push(...servingReasons(model, version, inputs), ...driftReasons(model, version, samples));
  }
  const alerts = samples.alerts.filter((a) => a.labels.model === model);
  // One reason per alert and version (a drift alert fires per feature and per tier).
  const grouped = new Map<string, { name: string; version?: string; severity: Reason['severity']; count: number }>();
  for (const a of alerts) {
    const severity = a.labels.severity === 'critical' ? 'critical' : a.labels.severity === 'warning' ? 'warning' : undefined;
    if (!severity) continue;
    const key = `${a.labels.alertname}|${a.labels.version ?? ''}`;
    const g = grouped.get(key) ?? { name: a.labels.alertname ?? 'alert', version: a.labels.version, severity, count: 0 };
    g.count += 1;
    if (rank(severity) < rank(g.severity)) g.severity = severity;
    grouped.set(key, g);
  }
  for (const g of grouped.values())
    reasons.push({
      severity: g.severity,
      version: g.version,
      text: `${g.name} firing${g.version ? ` (v${g.version})` : ''}${g.count > 1 ? ` ×${g.count}` : ''}`,
    });
  if (reasons.length === 0 && total === 0) reasons.push({ severity: 'nodata', text: 'no predictions in the window' });
  reasons.sort((a, b) => rank(a.severity) - rank(b.severity));
  const state: HealthState = reasons[0]?.severity ?? 'ok';
  const worst = reasons.find((r) => r.version !== undefined)?.version;
  const production = [...stages.entries()].find(([, stage]) => stage === 'production')?.[0];
  const pick = worst ?? production;
  return { model, state, reasons, worstVersion: pick === undefined ? undefined : summary(pick), alerts };
}
