import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { QueryVariableBuilder, VariableRefresh } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from '../shared/datasource.js';
import { modelwatchDashboard } from '../shared/dashboard.js';
import { UIDS } from '../shared/links.js';
import { mergedTable, stat, timeseries } from '../shared/panels.js';
import { prom } from '../shared/query.js';
import { anyIsBad, neutral, zeroIsBad } from '../shared/thresholds.js';
import { datasourceVariable } from '../shared/variables.js';

/**
 * Exporter replicas are found by what they expose (modelwatch_build_info), not by job name, so
 * the dashboard works whatever the scrape config calls them.
 */
const I = 'instance=~"$instance"';
const isExporter = `and on (instance, job) modelwatch_build_info{${I}}`;

export function exporterHealth(): Dashboard {
  return modelwatchDashboard(
    UIDS.exporterHealth,
    'modelwatch / Exporter health',
    'The exporter itself: is it scraped, how long /metrics takes, what it drops to stay within its cardinality bounds, ingest rate, CPU and memory.',
  )
    .withVariable(datasourceVariable())
    .withVariable(
      new QueryVariableBuilder('instance')
        .label('Exporter instance')
        .datasource(PROMETHEUS)
        .query('label_values(modelwatch_build_info, instance)')
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    )
    .withRow(new RowBuilder('Scrape'))
    .withPanel(
      stat({
        title: 'Exporters up',
        description: 'Scrape targets that expose modelwatch_build_info and answered the last scrape.',
        // up is 0 (not absent) for a target that failed its scrape, but modelwatch_build_info is then
        // absent, so the join alone would show "No data"; `or vector(0)` turns that into a red 0.
        queries: [prom('A', `sum(up{job="modelwatch", ${I}} ${isExporter}) or vector(0)`, { instant: true })],
        thresholds: zeroIsBad(),
        width: 6,
      }).noValue('0'),
    )
    .withPanel(
      stat({
        title: 'Dropped / s',
        description: 'Data dropped or folded into __other__ by cardinality bounds and limits; anything above 0 means a limit is being hit.',
        queries: [prom('A', `sum(rate(modelwatch_dropped_total{${I}}[5m]))`, { instant: true })],
        unit: 'eps',
        thresholds: anyIsBad(),
        width: 6,
      }).noValue('0'),
    )
    .withPanel(
      stat({
        title: 'Scrape duration',
        description: 'Time Prometheus took to scrape /metrics (collectors compute at scrape time).',
        queries: [prom('A', `max(scrape_duration_seconds ${isExporter})`, { instant: true })],
        unit: 's',
        thresholds: neutral(),
        width: 6,
      }),
    )
    .withPanel(
      stat({
        title: 'Series per scrape',
        description: 'Samples exposed on /metrics; bounded by the MODELWATCH_MAX_* settings.',
        queries: [prom('A', `sum(scrape_samples_scraped ${isExporter})`, { instant: true })],
        unit: 'short',
        thresholds: neutral(),
        width: 6,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape duration',
        description: 'Per exporter instance.',
        queries: [prom('A', `scrape_duration_seconds ${isExporter}`, { legend: '{{instance}}' })],
        unit: 's',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Samples per scrape',
        description: 'Series count exposed by each exporter instance.',
        queries: [prom('A', `scrape_samples_scraped ${isExporter}`, { legend: '{{instance}}' })],
        unit: 'short',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Dropped by reason',
        description: 'What the cardinality bounds and limits dropped or folded, per second.',
        queries: [prom('A', `sum by (reason) (rate(modelwatch_dropped_total{${I}}[$__rate_interval]))`, { legend: '{{reason}}' })],
        unit: 'eps',
        min: 0,
        width: 8,
      }).noValue('nothing dropped'),
    )
    .withRow(new RowBuilder('Ingest'))
    .withPanel(
      timeseries({
        title: 'Ingested events by endpoint',
        description: 'Events accepted per second by the ingest endpoints (predictions, feedback, kpis).',
        queries: [
          prom('A', `sum by (endpoint) (rate(modelwatch_ingested_events_total{${I}}[$__rate_interval]))`, { legend: '{{endpoint}}' }),
        ],
        unit: 'eps',
        min: 0,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Predictions by model',
        description: 'Prediction events per second per model.',
        queries: [prom('A', `sum by (model) (rate(modelwatch_predictions_total{${I}}[$__rate_interval]))`, { legend: '{{model}}' })],
        unit: 'reqps',
        min: 0,
      }),
    )
    .withRow(new RowBuilder('Process'))
    .withPanel(
      timeseries({
        title: 'CPU',
        description: 'CPU seconds per second used by the exporter process.',
        queries: [prom('A', `rate(process_cpu_seconds_total{${I}}[$__rate_interval]) ${isExporter}`, { legend: '{{instance}}' })],
        unit: 'percentunit',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Memory',
        description: 'Resident memory and V8 heap in use; should stay flat with steady traffic.',
        queries: [
          prom('A', `process_resident_memory_bytes{${I}} ${isExporter}`, { legend: 'RSS {{instance}}' }),
          prom('B', `sum by (instance) (nodejs_heap_size_used_bytes{${I}} ${isExporter})`, { legend: 'heap used {{instance}}' }),
        ],
        unit: 'bytes',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Event loop lag p99',
        description: 'Node.js event loop delay: high values mean ingest or scrapes are starving each other.',
        queries: [prom('A', `nodejs_eventloop_lag_p99_seconds{${I}} ${isExporter}`, { legend: '{{instance}}' })],
        unit: 's',
        min: 0,
        width: 8,
      }),
    )
    .withPanel(
      mergedTable({
        title: 'Build',
        description: 'Exporter and Node.js version of each instance.',
        labels: ['instance', 'version', 'node_version'],
        // Aggregated to the labels shown: the raw series adds a job column.
        columns: [{ expr: `max by (instance, version, node_version) (modelwatch_build_info{${I}})`, title: 'Up' }],
        height: 5,
      }).overrideByName('Up', [{ id: 'custom.hidden', value: true }]),
    )
    .build();
}
