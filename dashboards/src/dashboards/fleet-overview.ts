import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { modelwatchDashboard } from '../shared/dashboard.js';
import { UIDS, modelDetailDataLink, modelListDataLink, modelPageDataLink } from '../shared/links.js';
import { barGauge, mergedTable, stat } from '../shared/panels.js';
import { prom } from '../shared/query.js';
import { accuracyBands, anyIsBad, errorRatio, latencySeconds, neutral, psiBands, rules } from '../shared/thresholds.js';
import { datasourceVariable } from '../shared/variables.js';

/**
 * Per-model expressions, one series per `model`. Counters (rate over 5m) are summed across replicas;
 * window gauges take the worst version of the model so a bad canary is not averaged away.
 */
export const FLEET = {
  accuracy: 'min by (model) (modelwatch_model_accuracy_ratio)',
  // As the drift alerts (ENOUGH_FEATURE_VALUES in alert-rules/src/recording.ts): a feature counts once
  // it has minDriftEvents non-missing values of its own; the PSI of 2 values is noise, not drift.
  maxPsi: `max by (model) (modelwatch_feature_psi and on (model, version, feature) max by (model, version, feature) (modelwatch_feature_window_values) >= ${rules.minDriftEvents})`,
  // A model without traffic in the last 5m has all-zero bucket rates, and histogram_quantile of
  // those is NaN (shown as "NaN"); `>= 0` is false for NaN, so such models drop out instead.
  p95: 'histogram_quantile(0.95, sum by (model, le) (rate(modelwatch_prediction_latency_seconds_bucket[5m]))) >= 0',
  p99: 'histogram_quantile(0.99, sum by (model, le) (rate(modelwatch_prediction_latency_seconds_bucket[5m]))) >= 0',
  // Models with no error series yet read as 0, not as a blank cell.
  errorRatio:
    '(sum by (model) (rate(modelwatch_prediction_errors_total[5m])) or 0 * sum by (model) (rate(modelwatch_predictions_total[5m])))' +
    ' / sum by (model) (rate(modelwatch_predictions_total[5m]))',
  throughput: 'sum by (model) (rate(modelwatch_predictions_total[5m]))',
  productionVersion: 'max by (model, version) (modelwatch_model_stage{stage="production"}) == 1',
  // Alerts carry the model label (alert-rules/); models with none read 0.
  firingAlerts: 'count by (model) (ALERTS{alertstate="firing", model!=""}) or 0 * max by (model) (modelwatch_model_info)',
} as const;

/** Labels of modelwatch's alerts worth a column (feature: drift and data quality; reason: retraining; kpi: business). */
const FIRING_LABELS = ['model', 'alertname', 'severity', 'team', 'version', 'feature', 'kpi', 'reason', 'action'] as const;
const toModel = [modelPageDataLink(), modelDetailDataLink()];
// Table-format rows carry the model as a field, not as a series label: `${__field.labels.model}`
// is empty there, `${__data.fields.model}` is the row's value (Grafana docs, "Data links", data variables).
const toModelRow = [modelPageDataLink('${__data.fields.model}'), modelDetailDataLink('${__data.fields.model}')];

export function fleetOverview(): Dashboard {
  return modelwatchDashboard(
    UIDS.fleet,
    'modelwatch / Fleet overview',
    'Every model at a glance, worst first: window accuracy, drift, latency, errors, throughput, production version and firing alerts. Click a model to open its registry page (versions, rollback).',
  )
    .withVariable(datasourceVariable())
    .withPanel(
      stat({
        title: 'Models with traffic',
        description: 'Models that sent predictions in the last 5 minutes.',
        queries: [prom('A', 'count(sum by (model) (rate(modelwatch_predictions_total[5m])))', { instant: true })],
        thresholds: neutral(),
      }),
    )
    .withPanel(
      stat({
        title: 'Models with firing alerts',
        description: 'Distinct models with at least one firing modelwatch alert.',
        queries: [prom('A', 'count(count by (model) (ALERTS{alertstate="firing", model!=""})) or vector(0)', { instant: true })],
        thresholds: anyIsBad(),
        links: [modelListDataLink()],
      }),
    )
    .withPanel(
      stat({
        // The critical ModelwatchFeatureDrift threshold, with the alert's operator (>=).
        title: `Models drifting (PSI ≥ ${rules.drift.psiCritical})`,
        description: `Models with at least one feature whose PSI is significant, on at least ${rules.minDriftEvents} values of that feature.`,
        queries: [prom('A', `count(${FLEET.maxPsi} >= ${rules.drift.psiCritical}) or vector(0)`, { instant: true })],
        thresholds: anyIsBad(),
        links: [modelListDataLink()],
      }),
    )
    .withPanel(
      stat({
        title: 'Predictions / s',
        description: 'Fleet-wide prediction throughput (5m rate).',
        queries: [prom('A', 'sum(rate(modelwatch_predictions_total[5m]))', { instant: true })],
        unit: 'reqps',
        thresholds: neutral(),
      }),
    )
    .withRow(new RowBuilder('Models, worst accuracy first'))
    .withPanel(
      mergedTable({
        title: 'Models',
        description:
          'One row per model; sorted by window accuracy, lowest first. Red cells break a production gate or a drift/latency/error threshold. Click the model name for its registry page.',
        labels: ['model', 'version'],
        columns: [
          { expr: FLEET.accuracy, title: 'Accuracy', unit: 'percentunit', thresholds: accuracyBands(), colorCells: true },
          { expr: FLEET.maxPsi, title: 'Max feature PSI', unit: 'none', thresholds: psiBands(), colorCells: true },
          // p95 against the p99 alert's steps: a p95 over a step means the p99 is too, never the reverse.
          { expr: FLEET.p95, title: 'Latency p95', unit: 's', thresholds: latencySeconds(), colorCells: true },
          { expr: FLEET.p99, title: 'Latency p99', unit: 's', thresholds: latencySeconds(), colorCells: true },
          { expr: FLEET.errorRatio, title: 'Error rate', unit: 'percentunit', thresholds: errorRatio(), colorCells: true },
          { expr: FLEET.throughput, title: 'Predictions / s', unit: 'reqps' },
          { expr: FLEET.productionVersion, title: 'In production', unit: 'none' },
          { expr: FLEET.firingAlerts, title: 'Firing alerts', unit: 'none', thresholds: anyIsBad(), colorCells: true },
        ],
        sortBy: { title: 'Accuracy', desc: false },
        links: toModelRow,
        height: 12,
      })
        .overrideByName('model', [{ id: 'links', value: toModelRow.map((l) => l.build()) }])
        .overrideByName('version', [{ id: 'displayName', value: 'Production version' }])
        .overrideByName('In production', [{ id: 'custom.hidden', value: true }]),
    )
    .withRow(new RowBuilder('Worst first, per signal'))
    .withPanel(
      barGauge({
        title: 'Accuracy (lowest first)',
        description: 'Window accuracy, worst version per model.',
        queries: [prom('A', `sort(${FLEET.accuracy})`, { instant: true, legend: '{{model}}' })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: accuracyBands(),
        links: toModel,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Drift: max feature PSI (highest first)',
        description: `Largest PSI over the model's features: < ${rules.drift.psiWarning} stable, ${rules.drift.psiWarning}–${rules.drift.psiCritical} moderate, ≥ ${rules.drift.psiCritical} significant.`,
        queries: [prom('A', `sort_desc(${FLEET.maxPsi})`, { instant: true, legend: '{{model}}' })],
        min: 0,
        max: 0.5,
        thresholds: psiBands(),
        links: toModel,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Latency p99 (slowest first)',
        description: 'p99 serving latency reported by the model servers (5m).',
        queries: [prom('A', `sort_desc(${FLEET.p99})`, { instant: true, legend: '{{model}}' })],
        unit: 's',
        min: 0,
        thresholds: latencySeconds(),
        links: toModel,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Error rate (highest first)',
        description: 'Share of predictions that failed at the model server (5m).',
        queries: [prom('A', `sort_desc(${FLEET.errorRatio})`, { instant: true, legend: '{{model}}' })],
        unit: 'percentunit',
        min: 0,
        // Room above the critical step, so a red bar is visible.
        max: 2 * rules.errors.ratioCritical,
        thresholds: errorRatio(),
        links: toModel,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Throughput (busiest first)',
        description: 'Predictions per second (5m rate).',
        queries: [prom('A', `sort_desc(${FLEET.throughput})`, { instant: true, legend: '{{model}}' })],
        unit: 'reqps',
        min: 0,
        thresholds: neutral(),
        links: toModel,
      }),
    )
    .withPanel(
      mergedTable({
        title: 'Firing alerts',
        description: 'modelwatch alerts firing now, with their severity and team routing.',
        labels: [...FIRING_LABELS],
        // Aggregated to the labels shown: ALERTS also carries alertstate, always "firing" here.
        columns: [{ expr: `max by (${FIRING_LABELS.join(', ')}) (ALERTS{alertstate="firing", model!=""})`, title: 'Firing' }],
        links: toModelRow,
        width: 8,
        height: 9,
      })
        .overrideByName('model', [{ id: 'links', value: toModelRow.map((l) => l.build()) }])
        .overrideByName('Firing', [{ id: 'custom.hidden', value: true }]),
    )
    .build();
}
