import type { Registry } from 'prom-client';
import { processMetricsRegistry } from '../metrics/process-metrics.js';
import type { Collector } from './collector.js';
import type { FamilyHeader } from './exposition-writer.js';

/**
 * `process_*` and `nodejs_*` (see metrics/process-metrics.ts). prom-client measures them (it
 * knows how to read /proc, the event-loop delay histogram and GC timings); this collector
 * only reads its values at scrape time and writes them like every other family, so both
 * exposition formats get them right.
 */
export function processCollector(registry: Registry = processMetricsRegistry()): Collector {
  return {
    name: 'process',
    async collect(out) {
      for (const m of await registry.getMetricsAsJSON()) {
        out.family({ name: m.name, type: familyType(String(m.type)), help: m.help });
        for (const v of m.values as Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>) {
          out.sample(v.labels, v.value, v.metricName ? v.metricName.slice(m.name.length) : '');
        }
      }
    },
  };
}

const TYPES: ReadonlyArray<FamilyHeader['type']> = ['counter', 'gauge', 'histogram', 'summary'];

/** prom-client's type names are the exposition's; anything else is a bug worth a scrape error. */
function familyType(t: string): FamilyHeader['type'] {
  const found = TYPES.find((x) => x === t);
  if (!found) throw new Error(`unexpected metric type ${t}`);
  return found;
}
