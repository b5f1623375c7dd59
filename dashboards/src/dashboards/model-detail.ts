import { MappingType, RowBuilder, type Dashboard, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { counterBumped, promAnnotation } from '../shared/annotations.js';
import { modelwatchDashboard } from '../shared/dashboard.js';
import { UIDS, appModelPageLink, modelPageDataLink } from '../shared/links.js';
import { latencyHeatmap, mergedTable, stat, stateTimeline, statusHistory, timeseries } from '../shared/panels.js';
import { prom } from '../shared/query.js';
import {
  accuracyBands,
  anyIsBad,
  errorRatio,
  jsDistanceBands,
  ksBands,
  latencySeconds,
  missingRatio,
  neutral,
  outOfRangeRatio,
  perClassBands,
  psiBands,
  rules,
} from '../shared/thresholds.js';
import { datasourceVariable, modelVariable, versionVariable } from '../shared/variables.js';

const MV = 'model="$model", version=~"$version"';
const M = 'model="$model"';
/** Each version's stage as one number per series, so the state timeline shows one row per version. */
const STAGES = [
  ['development', 1, 'blue'],
  ['staging', 2, 'orange'],
  ['production', 3, 'green'],
  ['archived', 4, 'text'],
] as const;
const STAGE_CODE = `sum by (version) (${STAGES.map(([stage, code]) => `(modelwatch_model_stage{${M}, stage="${stage}"} == 1) * ${code}`).join(' or ')})`;
const STAGE_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: Object.fromEntries(STAGES.map(([stage, code, color], index) => [String(code), { text: stage, color, index }])),
  },
];
const RETRAIN_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: { '0': { text: 'no', index: 0 }, '1': { text: 'retrain', index: 1 } },
  },
];
/** Data links here use the dashboard variable: every series on this dashboard belongs to $model. */
const toModelPage = [modelPageDataLink('${model}')];

export function modelDetail(): Dashboard {
  return modelwatchDashboard(
    UIDS.modelDetail,
    'modelwatch / Model detail',
    'One model in depth: quality per version, per-class metrics, drift per feature, data quality, latency, KPIs, and its registry history (stage transitions and rollbacks as annotations).',
  )
    .withVariable(datasourceVariable())
    .withVariable(modelVariable())
    .withVariable(versionVariable('version', 'Version', { multi: true }))
    .link(appModelPageLink())
    .annotation(
      promAnnotation({
        name: 'Stage transitions',
        expr: counterBumped(`modelwatch_stage_transitions_total{${M}}`),
        iconColor: 'blue',
        titleFormat: 'Stage transition {{from}} → {{to}}',
        textFormat: '$model moved a version from {{from}} to {{to}}',
        tagKeys: ['from', 'to'],
      }),
    )
    .annotation(
      promAnnotation({
        name: 'Rollbacks',
        expr: counterBumped(`modelwatch_rollbacks_total{${M}}`),
        iconColor: 'red',
        titleFormat: 'Rollback ({{trigger}})',
        textFormat: '$model rolled back, trigger: {{trigger}}',
        tagKeys: ['trigger'],
      }),
    )
    .withRow(new RowBuilder('Now'))
    .withPanel(
      stat({
        title: 'Accuracy (window)',
        description: `Window accuracy per version. Orange under the retraining gate (${rules.defaults.retrainAccuracyBelow}, the alert's). Click for the model page.`,
        queries: [prom('A', `modelwatch_model_accuracy_ratio{${MV}}`, { instant: true, legend: '{{version}}' })],
        unit: 'percentunit',
        thresholds: accuracyBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      stat({
        title: 'Max feature PSI',
        description: 'Largest feature PSI per version.',
        queries: [prom('A', `max by (version) (modelwatch_feature_psi{${MV}})`, { instant: true, legend: '{{version}}' })],
        thresholds: psiBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      stat({
        title: 'Latency p99',
        description: 'p99 serving latency per version (5m).',
        queries: [
          // `>= 0` drops the NaN of a version without traffic in the window.
          prom('A', `histogram_quantile(0.99, sum by (version, le) (rate(modelwatch_prediction_latency_seconds_bucket{${MV}}[5m]))) >= 0`, {
            instant: true,
            legend: '{{version}}',
          }),
        ],
        unit: 's',
        thresholds: latencySeconds(),
        links: toModelPage,
      }),
    )
    .withPanel(
      stat({
        title: 'Retrain recommended',
        description:
          "The exporter's verdict per version: retrain when the upper end of window accuracy's 95% Wilson interval is below MODELWATCH_RETRAIN_MIN_ACCURACY (over at least MODELWATCH_RETRAIN_MIN_LABELED labels), or when drift crosses the retraining threshold. Fleet-wide thresholds: the alert rules' per-model overrides are not applied here.",
        queries: [prom('A', `modelwatch_retrain_recommended{${MV}}`, { instant: true, legend: '{{version}}' })],
        thresholds: anyIsBad(),
        // A bare 1 or 0 means nothing to someone woken at 3 a.m.: say it in words.
        mappings: RETRAIN_MAPPINGS,
        links: toModelPage,
      }),
    )
    .withRow(new RowBuilder('Quality'))
    .withPanel(
      timeseries({
        title: 'Accuracy per version',
        description:
          'Sliding-window accuracy of each version (classification), with its 95% Wilson interval: the accuracy alerts fire only when the upper end is below their line, so a point under the line with a wide interval is noise.',
        queries: [
          prom('A', `modelwatch_model_accuracy_ratio{${MV}}`, { legend: '{{version}}' }),
          prom('B', `modelwatch_model_accuracy_lower_ratio{${MV}}`, { legend: '{{version}} 95% low' }),
          prom('C', `modelwatch_model_accuracy_upper_ratio{${MV}}`, { legend: '{{version}} 95% high' }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: accuracyBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Estimated vs realized accuracy',
        description:
          'Accuracy estimated from calibrated scores before labels arrive (CBPE; band: 95% if calibration holds), next to the realized accuracy from labels and the share of predictions labelled so far. A gap that stays as labels arrive means the calibration assumption broke (concept shift).',
        queries: [
          prom('A', `modelwatch_model_accuracy_ratio{${MV}}`, { legend: '{{version}} realized' }),
          prom('B', `modelwatch_model_estimated_accuracy_ratio{${MV}}`, { legend: '{{version}} estimated' }),
          prom('C', `modelwatch_model_estimated_accuracy_lower_ratio{${MV}}`, { legend: '{{version}} estimated low' }),
          prom('D', `modelwatch_model_estimated_accuracy_upper_ratio{${MV}}`, { legend: '{{version}} estimated high' }),
          prom('E', `modelwatch_model_label_coverage_ratio{${MV}}`, { legend: '{{version}} label coverage' }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'F1 (macro) per version',
        description: 'Macro-averaged F1 over the window, as sklearn average="macro".',
        queries: [prom('A', `modelwatch_model_f1_averaged_score{${MV}, average="macro"}`, { legend: '{{version}}' })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        links: toModelPage,
      }),
    )
    .withPanel(
      mergedTable({
        title: 'Per-class precision, recall, F1',
        description:
          'Window precision/recall/F1 per class and version. The macro and weighted averages are their own series (modelwatch_model_*_averaged_*{average}), so summing over class is safe.',
        // Aggregated to the labels shown: the raw series would add instance, job and model columns (and a row per replica).
        labels: ['version', 'class'],
        columns: [
          {
            expr: `max by (version, class) (modelwatch_model_precision_ratio{${MV}})`,
            title: 'Precision',
            unit: 'percentunit',
            thresholds: perClassBands(),
            colorCells: true,
          },
          {
            expr: `max by (version, class) (modelwatch_model_recall_ratio{${MV}})`,
            title: 'Recall',
            unit: 'percentunit',
            thresholds: perClassBands(),
            colorCells: true,
          },
          {
            expr: `max by (version, class) (modelwatch_model_f1_score{${MV}})`,
            title: 'F1',
            unit: 'percentunit',
            thresholds: perClassBands(),
            colorCells: true,
          },
        ],
        sortBy: { title: 'F1', desc: false },
        links: toModelPage,
        width: 12,
        height: 9,
      }),
    )
    .withPanel(
      timeseries({
        title: 'ROC AUC per version',
        description: 'Window ROC AUC (binary; one-vs-rest macro for multiclass).',
        queries: [prom('A', `modelwatch_model_roc_auc{${MV}}`, { legend: '{{version}}' })],
        unit: 'none',
        min: 0.5,
        max: 1,
        links: toModelPage,
        height: 9,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log loss per version',
        description:
          'Window log loss as sklearn ≥ 1.2 (probabilities clipped to [ε, 1−ε], ε = float64 epsilon 2.2e-16, rows renormalised); lower is better.',
        queries: [prom('A', `modelwatch_model_log_loss{${MV}}`, { legend: '{{version}}' })],
        unit: 'none',
        min: 0,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'MAE and RMSE per version',
        description: 'Regression error over the window; lower is better.',
        queries: [
          prom('A', `modelwatch_model_mae{${MV}}`, { legend: 'MAE {{version}}' }),
          prom('B', `modelwatch_model_rmse{${MV}}`, { legend: 'RMSE {{version}}' }),
        ],
        unit: 'none',
        min: 0,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Labeled predictions in window',
        description: 'How many labeled predictions the window metrics rest on; few labels mean noisy quality numbers.',
        queries: [
          prom('A', `modelwatch_model_window_labeled{${MV}}`, { legend: 'labeled {{version}}' }),
          prom('B', `modelwatch_model_window_predictions{${MV}}`, { legend: 'predictions {{version}}' }),
        ],
        unit: 'short',
        min: 0,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Feedback by outcome',
        description: 'Ground-truth labels received per second: joined to a prediction, unknown prediction id, or duplicate.',
        queries: [prom('A', `sum by (outcome) (rate(modelwatch_feedback_total{${MV}}[$__rate_interval]))`, { legend: '{{outcome}}' })],
        // Labels are events, not requests: one feedback request carries many.
        unit: 'eps',
        min: 0,
      }),
    )
    .withRow(new RowBuilder('Drift'))
    .withPanel(
      statusHistory({
        title: 'PSI per feature (heat map)',
        description: `Population stability index of each feature against the reference: green < ${rules.drift.psiWarning}, orange from ${rules.drift.psiWarning} (drift warning), red from ${rules.drift.psiCritical} (critical).`,
        queries: [prom('A', `max by (feature) (modelwatch_feature_psi{${MV}})`, { legend: '{{feature}}' })],
        thresholds: psiBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      statusHistory({
        title: 'KS statistic per feature (heat map)',
        description: 'Two-sample Kolmogorov–Smirnov statistic of numeric features against the reference.',
        queries: [prom('A', `max by (feature) (modelwatch_feature_ks_statistic{${MV}})`, { legend: '{{feature}}' })],
        thresholds: ksBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      statusHistory({
        title: 'Jensen–Shannon distance per feature (heat map)',
        description: "JS distance (base 2) of categorical features' frequencies against the reference.",
        queries: [prom('A', `max by (feature) (modelwatch_feature_js_distance{${MV}})`, { legend: '{{feature}}' })],
        thresholds: jsDistanceBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Prediction (output) PSI',
        description: "PSI of the model's output distribution against the reference.",
        queries: [prom('A', `modelwatch_prediction_psi{${MV}}`, { legend: '{{version}}' })],
        min: 0,
        thresholds: psiBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      mergedTable({
        title: 'Drift now, per feature',
        description: 'Current drift statistics per feature and version, largest PSI first.',
        // Aggregated to the labels shown, as the per-class table.
        labels: ['version', 'feature'],
        columns: [
          { expr: `max by (version, feature) (modelwatch_feature_psi{${MV}})`, title: 'PSI', thresholds: psiBands(), colorCells: true },
          {
            expr: `max by (version, feature) (modelwatch_feature_ks_statistic{${MV}})`,
            title: 'KS statistic',
            thresholds: ksBands(),
            colorCells: true,
          },
          { expr: `min by (version, feature) (modelwatch_feature_ks_pvalue{${MV}})`, title: 'KS p-value', unit: 'none' },
          {
            expr: `max by (version, feature) (modelwatch_feature_js_distance{${MV}})`,
            title: 'JS distance',
            thresholds: jsDistanceBands(),
            colorCells: true,
          },
        ],
        sortBy: { title: 'PSI', desc: true },
        links: toModelPage,
        height: 9,
      }),
    )
    .withRow(new RowBuilder('Data quality'))
    .withPanel(
      timeseries({
        title: 'Missing values per feature',
        description: 'Share of events in the window where the feature was missing or null.',
        queries: [prom('A', `max by (feature) (modelwatch_feature_missing_ratio{${MV}})`, { legend: '{{feature}}' })],
        unit: 'percentunit',
        min: 0,
        thresholds: missingRatio(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Out-of-range values per feature',
        description: 'Share of values outside the range seen in the reference.',
        queries: [prom('A', `max by (feature) (modelwatch_feature_out_of_range_ratio{${MV}})`, { legend: '{{feature}}' })],
        unit: 'percentunit',
        min: 0,
        thresholds: outOfRangeRatio(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Schema violations',
        description: 'Feature values that broke the reference schema, per second, by kind.',
        queries: [prom('A', `sum by (kind) (rate(modelwatch_schema_violations_total{${MV}}[$__rate_interval]))`, { legend: '{{kind}}' })],
        unit: 'cps',
        min: 0,
        width: 8,
      }),
    )
    .withRow(new RowBuilder('Serving'))
    .withPanel(
      latencyHeatmap({
        title: 'Latency histogram',
        description: 'Distribution of serving latency reported with each prediction.',
        queries: [
          prom('A', `sum by (le) (rate(modelwatch_prediction_latency_seconds_bucket{${MV}}[$__rate_interval]))`, {
            format: 'heatmap',
            legend: '{{le}}',
          }),
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Latency p50 / p95 / p99',
        description: 'Serving latency quantiles from the histogram, per version.',
        queries: [0.5, 0.95, 0.99].map((q, i) =>
          prom(
            String.fromCharCode(65 + i),
            `histogram_quantile(${q}, sum by (version, le) (rate(modelwatch_prediction_latency_seconds_bucket{${MV}}[$__rate_interval])))`,
            { legend: `p${Math.round(q * 100)} {{version}}` },
          ),
        ),
        unit: 's',
        min: 0,
        thresholds: latencySeconds(),
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Throughput per version',
        description: 'Predictions per second per version — the traffic split during a canary.',
        queries: [prom('A', `sum by (version) (rate(modelwatch_predictions_total{${MV}}[$__rate_interval]))`, { legend: '{{version}}' })],
        unit: 'reqps',
        min: 0,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error rate by reason',
        description: 'Share of predictions that failed at the model server, by reason.',
        queries: [
          prom(
            'A',
            `sum by (version, reason) (rate(modelwatch_prediction_errors_total{${MV}}[$__rate_interval])) / ignoring (reason) group_left sum by (version) (rate(modelwatch_predictions_total{${MV}}[$__rate_interval]))`,
            { legend: '{{version}} {{reason}}' },
          ),
        ],
        unit: 'percentunit',
        min: 0,
        thresholds: errorRatio(),
        links: toModelPage,
      }),
    )
    .withRow(new RowBuilder('Business KPIs'))
    .withPanel(
      timeseries({
        title: 'Business KPIs',
        description: 'Latest value of each KPI reported for the model (POST /api/v1/kpis).',
        queries: [prom('A', `modelwatch_business_kpi{${M}}`, { legend: '{{kpi}}' })],
        unit: 'short',
        width: 24,
      }),
    )
    .withRow(new RowBuilder('Registry'))
    .withPanel(
      stateTimeline({
        title: 'Stage per version',
        description: 'Registry stage of each version over time (development → staging → production → archived).',
        queries: [prom('A', STAGE_CODE, { legend: '{{version}}' })],
        mappings: STAGE_MAPPINGS,
      }),
    )
    .withPanel(
      mergedTable({
        title: 'Stage transitions and rollbacks in range',
        description: 'Transitions by from → to, and rollbacks by trigger, over the dashboard time range. Use the model page to act.',
        labels: ['from', 'to', 'trigger'],
        columns: [
          { expr: `sum by (from, to) (increase(modelwatch_stage_transitions_total{${M}}[$__range]))`, title: 'Transitions', unit: 'short' },
          {
            expr: `sum by (trigger) (increase(modelwatch_rollbacks_total{${M}}[$__range]))`,
            title: 'Rollbacks',
            unit: 'short',
            thresholds: anyIsBad(),
            colorCells: true,
          },
        ],
        links: toModelPage,
        width: 12,
        height: 6,
      }),
    )
    .build();
}
