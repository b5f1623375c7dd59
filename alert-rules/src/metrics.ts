/**
 * Metric names come from the exporter's catalog, so renaming a metric there breaks this
 * package's type-check instead of silently leaving a rule that never matches.
 */
import { CATALOG, type CatalogKey } from '../../exporter/src/metrics/catalog.js';

export function metric(key: CatalogKey): string {
  return CATALOG[key].name;
}

export function histogramBucket(key: CatalogKey): string {
  if (CATALOG[key].type !== 'histogram') throw new Error(`${CATALOG[key].name} is not a histogram`);
  return `${CATALOG[key].name}_bucket`;
}

/** Prometheus' own scrape-health series. */
export const UP = 'up';
