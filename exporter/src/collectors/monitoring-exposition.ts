import type { Registry } from 'prom-client';
import type { MonitoringExposition } from './monitoring-collector.js';

interface Registered {
  collector: { exposition(): MonitoringExposition };
  names: ReadonlySet<string>;
}

const collectors = new WeakMap<Registry, Registered>();

/** Lets `renderMetrics` serve the collector's families from its own bytes. */
export function registerMonitoringCollector(registry: Registry, collector: Registered['collector'], names: ReadonlySet<string>): void {
  collectors.set(registry, { collector, names });
}

/**
 * The whole `/metrics` body, as chunks of bytes: prom-client's text for the registry's own metrics (the
 * registry, process and alerting families: a few hundred series), then the monitoring
 * collector's families (most of the ~150k series of a full fleet) copied from its cached
 * per-version bytes rather than passed through prom-client's per-series formatting.
 * Without a monitoring collector it is exactly `registry.metrics()`.
 */
export async function renderMetrics(registry: Registry): Promise<Buffer[]> {
  const monitoring = collectors.get(registry);
  if (!monitoring) return [Buffer.from(await registry.metrics())];
  const others = registry.getMetricsAsArray().filter((m) => !monitoring.names.has(m.name));
  const texts = await Promise.all(others.map((m) => registry.getSingleMetricAsString(m.name)));
  const head = Buffer.from(texts.length ? `${texts.join('\n\n')}\n\n` : '');
  // Rendered after the awaits above, so it reflects the state at the end of the scrape.
  return [head, monitoring.collector.exposition().body];
}
