import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CATALOG, type MetricSpec } from '../../../exporter/src/metrics/catalog.js';
import { processMetricsRegistry } from '../../../exporter/src/metrics/process-metrics.js';
import { ALERT_RULES_GENERATED_DIR } from './paths.js';

/** Series Prometheus itself creates for every target or rule (not exported by anyone). */
export const PROMETHEUS_BUILTINS = [
  'up',
  'ALERTS',
  'ALERTS_FOR_STATE',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
];

/** Exporter catalog names; histograms expand to their _bucket/_sum/_count series. */
export function catalogSeries(): Set<string> {
  const out = new Set<string>();
  for (const m of Object.values(CATALOG) as MetricSpec[]) {
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(m.name + s);
    else out.add(m.name);
  }
  return out;
}

/** prom-client's default process/Node.js metrics, registered exactly as the exporter does. */
export async function processSeries(): Promise<Set<string>> {
  const r = processMetricsRegistry();
  const out = new Set<string>();
  for (const m of await r.getMetricsAsJSON()) {
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(m.name + s);
    else out.add(m.name);
  }
  return out;
}

export function recordingRuleFiles(): string[] {
  if (!fs.existsSync(ALERT_RULES_GENERATED_DIR)) return [];
  return fs
    .readdirSync(ALERT_RULES_GENERATED_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(ALERT_RULES_GENERATED_DIR, f));
}

/** `record:` names from alert-rules/generated (empty until those rules are committed). */
export function recordingRuleNames(): Set<string> {
  const out = new Set<string>();
  for (const file of recordingRuleFiles()) {
    const doc = parse(fs.readFileSync(file, 'utf8')) as { groups?: Array<{ rules?: Array<{ record?: string }> }> };
    for (const g of doc.groups ?? []) for (const r of g.rules ?? []) if (r.record) out.add(r.record);
  }
  return out;
}
