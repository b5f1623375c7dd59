import { collectDefaultMetrics, type Registry } from 'prom-client';

/** prom-client's default metrics, prefixed: modelwatch_process_* and modelwatch_nodejs_*. */
const PREFIX = 'modelwatch_';

/** Matches the names registerProcessMetrics adds, so that tests can tell them from ours. */
export const PROCESS_METRIC_NAME = /^modelwatch_(process|nodejs)_/;

/** prom-client names these gauges *_total, which promtool rejects as a counter suffix on a gauge. */
const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(PREFIX + name);
}
