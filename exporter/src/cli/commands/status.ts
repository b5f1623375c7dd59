import type { Command } from 'commander';
import type { components } from '../../api/openapi-types.js';
import { cell, table } from './format.js';
import { handler } from './runtime.js';

type VersionStatus = components['schemas']['VersionStatus'];

export function registerStatusCommand(program: Command): void {
  program
    .command('status <model>')
    .description("a version's health as the exporter computes it: window quality, drift per feature, serving, verdict with reasons")
    .option('--version <version>', 'default: the production version, else the version with the latest traffic')
    .action(
      handler(async (io, model: string, flags: { version?: string }) => {
        io.emit(await io.client.status(model, flags.version), renderStatus);
      }),
    );
}

/** The human rendering: a header, quality and serving lines, a feature table, the reasons. */
export function renderStatus(s: VersionStatus): string {
  const q = s.quality;
  const quality =
    q.task === 'classification'
      ? `accuracy ${cell(q.accuracy)} (n=${q.labeled}), macro F1 ${cell(q.macro_f1)}, ROC AUC ${cell(q.roc_auc)}, log loss ${cell(q.log_loss)}`
      : q.task === 'regression'
        ? `MAE ${cell(q.mae)}, RMSE ${cell(q.rmse)} (n=${q.labeled})`
        : 'no labels yet';
  const sv = s.serving;
  const lines = [
    `${s.model} ${s.version}  stage ${s.stage ?? '(not registered)'}  verdict ${s.health.verdict.toUpperCase()}`,
    `window ${s.window.seconds} s: ${s.window.predictions} predictions, ${s.window.labeled} labeled`,
    `quality: ${quality}`,
    `estimate (no labels): ${
      s.estimate
        ? `accuracy ${cell(s.estimate.accuracy)} [${cell(s.estimate.accuracy_lower)}, ${cell(s.estimate.accuracy_upper)}] (n=${s.estimate.events}), F1 ${cell(s.estimate.macro_f1)}, ROC AUC ${cell(s.estimate.roc_auc)}`
        : 'off (the reference carries no labels and scores)'
    }; labels: coverage ${cell(s.labels.coverage)}, ${s.labels.pending} waiting`,
    `serving: ${sv.predictions} predictions, ${sv.errors} errors${sv.error_ratio === null ? '' : ` (${cell(sv.error_ratio * 100)}%)`}, latency ms mean ${cell(sv.latency_ms.mean)} p50 ${cell(sv.latency_ms.p50)} p95 ${cell(sv.latency_ms.p95)}`,
    '',
    table(
      ['FEATURE', 'KIND', 'N', 'PSI', 'KS', 'KS_P', 'JS', 'MISSING'],
      s.features.map((f) => [
        f.name,
        f.kind,
        f.count,
        cell(f.psi),
        cell(f.ks_statistic),
        cell(f.ks_pvalue),
        cell(f.js_distance),
        cell(f.missing_ratio),
      ]),
    ).trimEnd(),
    '',
    s.health.reasons.length ? 'reasons:' : 'reasons: none',
    ...s.health.reasons.map((r) => `  ${r.severity.padEnd(8)} ${r.message}`),
  ];
  return `${lines.join('\n')}\n`;
}
