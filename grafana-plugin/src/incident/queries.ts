/**
 * Range PromQL for the model page's incident charts, over the exporter's raw series (names from
 * exporter/src/metrics/catalog.ts; tests/metric-names.test.ts checks them). Every query selects one
 * model and keeps `version` (or `feature`) as the series label, so each version is its own line.
 */
import { rulesConfig, thresholdsFor } from '../health/thresholds';

/** A PromQL string literal for a label value (Prometheus's Go-style escaping of `\` and `"`). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** How a chart's values read; Grafana unit ids from @grafana/data's value formats. */
export type ChartUnit = 'percentunit' | 's' | 'reqps' | 'none';

export interface ChartQuery {
  refId: string;
  expr: string;
  /** The series' role on the chart: the measured line, or a band edge drawn dashed. */
  role: 'line' | 'band';
  /** Legend text; `{{version}}` / `{{feature}}` is replaced by the series label. */
  legend: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: ChartUnit;
  queries: ChartQuery[];
  /** A threshold drawn as a line (Grafana's thresholdsStyle "line"), with what it is. */
  threshold?: { value: number; label: string };
  /** Fixed axis bounds where the quantity has them (ratios). */
  min?: number;
  max?: number;
}

/**
 * The incident charts of `model`. Rate windows are 5m, as in the models list and the alert rules'
 * error and latency expressions, so a chart and an alert agree on what they measure.
 */
export function incidentCharts(model: string): ChartSpec[] {
  const m = `model=${promString(model)}`;
  const t = thresholdsFor(model);
  return [
    {
      id: 'accuracy',
      title: 'Accuracy, its 95% Wilson interval, and the label-free estimate',
      unit: 'percentunit',
      min: 0,
      max: 1,
      threshold: { value: t.retrainAccuracyBelow, label: 'retraining gate' },
      queries: [
        { refId: 'acc', expr: `max by (version) (modelwatch_model_accuracy_ratio{${m}})`, role: 'line', legend: 'v{{version}} accuracy' },
        {
          refId: 'accLo',
          expr: `max by (version) (modelwatch_model_accuracy_lower_ratio{${m}})`,
          role: 'band',
          legend: 'v{{version}} lower',
        },
        {
          refId: 'accHi',
          expr: `max by (version) (modelwatch_model_accuracy_upper_ratio{${m}})`,
          role: 'band',
          legend: 'v{{version}} upper',
        },
        {
          refId: 'est',
          expr: `max by (version) (modelwatch_model_estimated_accuracy_ratio{${m}})`,
          role: 'line',
          legend: 'v{{version}} estimated (CBPE)',
        },
        {
          refId: 'estLo',
          expr: `max by (version) (modelwatch_model_estimated_accuracy_lower_ratio{${m}})`,
          role: 'band',
          legend: 'v{{version}} estimate lower',
        },
        {
          refId: 'estHi',
          expr: `max by (version) (modelwatch_model_estimated_accuracy_upper_ratio{${m}})`,
          role: 'band',
          legend: 'v{{version}} estimate upper',
        },
      ],
    },
    {
      id: 'labels',
      title: 'Labeled predictions in the window (the sample accuracy rests on)',
      unit: 'none',
      min: 0,
      queries: [
        { refId: 'labeled', expr: `max by (version) (modelwatch_model_window_labeled{${m}})`, role: 'line', legend: 'v{{version}}' },
      ],
    },
    {
      id: 'traffic',
      title: 'Traffic per version',
      unit: 'reqps',
      min: 0,
      queries: [
        {
          refId: 'traffic',
          expr: `sum by (version) (rate(modelwatch_predictions_total{${m}}[5m]))`,
          role: 'line',
          legend: 'v{{version}}',
        },
      ],
    },
    {
      id: 'drift',
      title: 'Top drifting features (PSI)',
      unit: 'none',
      min: 0,
      threshold: { value: rulesConfig.drift.psiWarning, label: 'PSI warning' },
      queries: [{ refId: 'psi', expr: `topk(5, max by (feature) (modelwatch_feature_psi{${m}}))`, role: 'line', legend: '{{feature}}' }],
    },
    {
      id: 'ks',
      title: 'Kolmogorov–Smirnov statistic per feature',
      unit: 'none',
      min: 0,
      max: 1,
      queries: [
        { refId: 'ks', expr: `topk(5, max by (feature) (modelwatch_feature_ks_statistic{${m}}))`, role: 'line', legend: '{{feature}}' },
      ],
    },
    {
      id: 'latency',
      title: 'Latency p95 per version',
      unit: 's',
      min: 0,
      threshold: { value: t.latencyP99Seconds, label: 'p99 SLO' },
      queries: [
        {
          refId: 'p95',
          expr: `histogram_quantile(0.95, sum by (version, le) (rate(modelwatch_prediction_latency_seconds_bucket{${m}}[5m])))`,
          role: 'line',
          legend: 'v{{version}} p95',
        },
      ],
    },
    {
      id: 'errors',
      title: 'Error ratio per version',
      unit: 'percentunit',
      min: 0,
      queries: [
        {
          refId: 'errors',
          expr: `sum by (version) (rate(modelwatch_prediction_errors_total{${m}}[5m])) / sum by (version) (rate(modelwatch_predictions_total{${m}}[5m]))`,
          role: 'line',
          legend: 'v{{version}}',
        },
      ],
    },
  ];
}

/** Prometheus's alert series for the model, firing and pending, over the range (for annotations). */
export function alertsQuery(model: string): string {
  return `ALERTS{model=${promString(model)}}`;
}
