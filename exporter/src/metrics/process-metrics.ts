import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Process and Node.js runtime metrics under the names every client library uses
 * (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * `nodejs_eventloop_lag_p99_seconds`, …: prom-client's collectDefaultMetrics, no prefix), so
 * stock Node.js dashboards and process alerts work against the exporter unchanged.
 *
 * Left out: prom-client's `nodejs_active_handles_total`, `nodejs_active_requests_total` and
 * `nodejs_active_resources_total`, gauges named like counters, which `promtool check metrics`
 * rejects; `sum(nodejs_active_handles)` (and the like) gives the same number from the per-type
 * gauges that stay.
 */
export const PROCESS_METRIC_NAME = /^(process|nodejs)_/;

const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A prom-client registry holding only the default metrics, read by collectors/process.ts. */
export function processMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(name);
  return registry;
}
