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
  return (
    modelwatchDashboard(
      UIDS.exporterHealth,
      'modelwatch / Exporter health',
      'The exporter itself: is it scraped, how long /metrics takes, what it drops to stay within its cardinality bounds, ingest rate, refused and failed batches, checkpoints, CPU and memory.',
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
          description:
            'Data dropped or folded into __other__ by cardinality bounds and limits; anything above 0 means a limit is being hit.',
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
      // What the modelwatch-exporter alerts judge beyond scraping: batches refused or failed, and the
      // checkpoints that keep the write-ahead journal short (exporter/src/durable).
      .withRow(new RowBuilder('Durability'))
      .withPanel(
        failureCount(
          'Refused batches (503), 5m',
          'Ingest batches the write-ahead journal could not take in the last 5 minutes (journal full or store error); nothing of them was applied. ModelwatchJournalRejectingWrites pages when this stays above 0.',
          `sum(increase(modelwatch_journal_rejected_total{${I}}[5m]))`,
        ),
      )
      .withPanel(
        failureCount(
          'Failed batches (500), 10m',
          'Ingest batches that failed inside the exporter and were rolled back whole in the last 10 minutes (MW_ERR_BATCH_NOT_APPLIED); ModelwatchIngestFailures warns on any.',
          `sum(increase(modelwatch_ingest_failures_total{${I}}[10m]))`,
        ),
      )
      .withPanel(
        failureCount(
          'Failed checkpoints, 15m',
          'Checkpoints of window state to the store that failed in the last 15 minutes; ModelwatchCheckpointsFailing warns when none completed meanwhile.',
          `sum(increase(modelwatch_checkpoints_total{${I}, outcome="failed"}[15m]))`,
        ),
      )
      .withPanel(
        failureCount(
          'Scrape errors, 10m',
          'Parts of /metrics left out of scrapes because they failed to render (ModelwatchScrapeErrors).',
          `sum(increase(modelwatch_scrape_errors_total{${I}}[10m]))`,
        ),
      )
      .withPanel(
        timeseries({
          title: 'Refused and failed batches',
          description: 'Per second: 503 by journal reason (full, store_error) and 500 by endpoint.',
          queries: [
            prom('A', `sum by (instance, reason) (rate(modelwatch_journal_rejected_total{${I}}[$__rate_interval]))`, {
              legend: '503 {{reason}} {{instance}}',
            }),
            prom('B', `sum by (instance, endpoint) (rate(modelwatch_ingest_failures_total{${I}}[$__rate_interval]))`, {
              legend: '500 {{endpoint}} {{instance}}',
            }),
          ],
          unit: 'reqps',
          min: 0,
          width: 8,
        }),
      )
      .withPanel(
        timeseries({
          title: 'Journal not yet checkpointed',
          description:
            'Bytes of acknowledged batches in the write-ahead journal that no checkpoint covers; it refuses ingest (503) at MODELWATCH_JOURNAL_MAX_MB, and a crash replays it at start.',
          queries: [prom('A', `modelwatch_journal_bytes{${I}} ${isExporter}`, { legend: '{{instance}}' })],
          unit: 'bytes',
          min: 0,
          width: 8,
        }),
      )
      .withPanel(
        timeseries({
          title: 'Checkpoints by outcome',
          description: 'Checkpoints of window state per second, ok and failed.',
          queries: [
            prom('A', `sum by (instance, outcome) (rate(modelwatch_checkpoints_total{${I}}[$__rate_interval]))`, {
              legend: '{{outcome}} {{instance}}',
            }),
          ],
          unit: 'cps',
          min: 0,
          width: 8,
        }),
      )
      // ModelwatchAuditHeadRegressed: the published head of the audit chain (exporter/src/collectors/audit-head.ts).
      .withRow(new RowBuilder('Audit log'))
      .withPanel(
        timeseries({
          title: 'Audit chain head',
          description:
            'Id of the newest audit entry each exporter sees; it only grows. A drop means entries were removed from the database.',
          queries: [prom('A', `max by (instance) (modelwatch_audit_head_id{${I}})`, { legend: '{{instance}}' })],
          unit: 'short',
          width: 18,
        }),
      )
      .withPanel(
        stat({
          title: 'Audit rewrites, 15m',
          description:
            'Head regressions the exporters counted, plus head hash changes without a new entry, in the last 15 minutes: the audit log was rewritten (ModelwatchAuditHeadRegressed).',
          queries: [
            prom(
              'A',
              `sum(increase(modelwatch_audit_head_regressions_total{${I}}[15m])) + sum(clamp_min(changes(modelwatch_audit_head_hash_prefix{${I}}[15m]) - changes(modelwatch_audit_head_id{${I}}[15m]), 0))`,
              { instant: true },
            ),
          ],
          unit: 'short',
          thresholds: anyIsBad(),
          width: 6,
        }).noValue('0'),
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
      .build()
  );
}

/** A count of failures over a recent span, green at 0 and red above: a quantity an exporter alert judges. */
function failureCount(title: string, description: string, expr: string) {
  return stat({
    title,
    description,
    queries: [prom('A', expr, { instant: true })],
    unit: 'short',
    thresholds: anyIsBad(),
    width: 6,
  }).noValue('0');
}
