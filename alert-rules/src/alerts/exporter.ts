/** The exporter itself; these alerts belong to the platform team, not to a model's team. */
import { alert } from '../alert.js';
import { config } from '../config.js';
import { metric, UP } from '../metrics.js';
import { series } from '../promql.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

const platform = { team: config.platformTeam };

export function exporterGroup(): RuleGroup<AlertingRule> {
  return {
    name: 'modelwatch-exporter',
    rules: [
      alert({
        name: 'ModelwatchExporterDown',
        severity: 'critical',
        for: config.for.exporterDown,
        labels: platform,
        expr: `${series(UP)} == 0`,
        summary: 'Prometheus cannot scrape a modelwatch exporter.',
        description:
          'Exporter {{ $labels.instance }} (job {{ $labels.job }}) has failed its scrapes; its models are unobserved and no alert-driven rollback can reach it.',
      }),
      // `up == 0` says nothing when the target itself is gone from service discovery.
      alert({
        name: 'ModelwatchExporterAbsent',
        severity: 'critical',
        for: config.for.exporterAbsent,
        labels: platform,
        expr: `absent(${series(UP)})`,
        summary: 'Prometheus has no modelwatch exporter target at all.',
        description: `No target matches ${config.exporterSelector}: the exporter is not discovered or not deployed.`,
      }),
      // The audit chain head is published on /metrics because the database cannot vouch for
      // itself: a head id that goes down, or a hash that changes while the id stays, means the
      // audit log was truncated or rewritten (exporter/src/collectors/audit-head.ts).
      alert({
        name: 'ModelwatchAuditHeadRegressed',
        severity: 'critical',
        labels: platform,
        expr: [
          `max by (job) (${series(metric('auditHeadId'))}) < max by (job) (max_over_time(${series(metric('auditHeadId'))}[1d]))`,
          `max by (job) (changes(${series(metric('auditHeadHashPrefix'))}[15m]) > changes(${series(metric('auditHeadId'))}[15m]))`,
          `max by (job) (increase(${series(metric('auditHeadRegressions'))}[15m])) > 0`,
        ].join('\nor\n'),
        summary: 'The audit log head went backwards or was rewritten.',
        description:
          'The audit chain head of job {{ $labels.job }} is below its highest value of the last day, changed its hash without a new entry, or an exporter saw it regress: the audit log was truncated or rewritten in the database. Run GET /api/v1/audit/verify with the last checkpoint from the logs.',
      }),
      // A part of /metrics that failed to render is left out (one model version, or one
      // collector), not served stale: its series go quiet, which no per-model alert notices.
      alert({
        name: 'ModelwatchScrapeErrors',
        severity: 'warning',
        for: config.for.scrapeErrors,
        labels: platform,
        expr: `sum by (job, collector) (increase(${series(metric('scrapeErrors'))}[10m])) > 0`,
        summary: "Part of the exporter's /metrics cannot be rendered and is left out of scrapes.",
        description:
          'Collector {{ $labels.collector }} of job {{ $labels.job }} failed to render {{ $value | printf "%.0f" }} times in 10 minutes; its series (for monitoring: one model version) are missing. The exporter log names the version and the error.',
      }),
      // The write-ahead journal refuses a batch (503, Retry-After) when it is full (checkpoints
      // are not covering it) or the store cannot take the append: nothing of the batch is
      // applied, so every client that does not retry loses it (exporter/src/durable/journal.ts).
      alert({
        name: 'ModelwatchJournalRejectingWrites',
        severity: 'critical',
        for: config.for.journalRejected,
        labels: platform,
        expr: `sum by (job, instance, reason) (increase(${series(metric('journalRejected'))}[5m])) > 0`,
        summary: 'The exporter refuses ingest batches (503): its write-ahead journal cannot take them.',
        description:
          'Exporter {{ $labels.instance }} (job {{ $labels.job }}) refused {{ $value | printf "%.0f" }} ingest batches in 5 minutes with 503, reason {{ $labels.reason }} (full: checkpoints are not covering the journal; store_error: the database refuses the append). Nothing of them was applied: model servers that do not retry lose those events.',
      }),
      // A batch whose apply threw is rolled back whole and answered 500 MW_ERR_BATCH_NOT_APPLIED:
      // a fault inside the exporter, not in what was sent; its retry usually meets it again.
      alert({
        name: 'ModelwatchIngestFailures',
        severity: 'warning',
        for: config.for.ingestFailures,
        labels: platform,
        expr: `sum by (job, instance, endpoint) (increase(${series(metric('ingestFailures'))}[10m])) > 0`,
        summary: 'Ingest batches fail inside the exporter (500) and are not applied.',
        description:
          'Exporter {{ $labels.instance }} (job {{ $labels.job }}) failed to apply {{ $value | printf "%.0f" }} {{ $labels.endpoint }} batches in 10 minutes (500 MW_ERR_BATCH_NOT_APPLIED, rolled back whole): their events are missing from monitoring. The exporter log has the cause of each.',
      }),
      // Failed checkpoints leave the journal growing until it is full (then ingest answers 503)
      // and, with the journal off, widen what a crash loses.
      alert({
        name: 'ModelwatchCheckpointsFailing',
        severity: 'warning',
        for: config.for.checkpointsFailing,
        labels: platform,
        expr: [
          `sum by (job, instance) (increase(${series(metric('checkpoints'), 'outcome="failed"')}[15m])) > 0`,
          `unless on (job, instance)`,
          `sum by (job, instance) (increase(${series(metric('checkpoints'), 'outcome="ok"')}[15m])) > 0`,
        ].join('\n'),
        summary: 'The exporter cannot checkpoint its window state to the store.',
        description:
          'Exporter {{ $labels.instance }} (job {{ $labels.job }}) had {{ $value | printf "%.0f" }} failed checkpoints and none completed in 15 minutes: its write-ahead journal grows (modelwatch_journal_bytes) until it refuses ingest, and a restart replays everything since the last checkpoint.',
      }),
      alert({
        name: 'ModelwatchExporterDroppingData',
        severity: 'warning',
        for: config.for.dropped,
        labels: platform,
        expr: `sum by (job, reason) (rate(${series(metric('dropped'))}[15m])) > 0`,
        summary: 'The exporter keeps dropping or folding data at its cardinality limits.',
        description:
          'The exporter drops data for reason {{ $labels.reason }} at {{ $value | printf "%.3g" }}/s: raise the matching MODELWATCH_MAX_* limit or reduce what is sent.',
      }),
    ],
  };
}
