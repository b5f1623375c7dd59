import { interval } from './grafana.js';

/** A dashboard time range, in ms since the epoch, and the panel's width in pixels. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** The values of Grafana's built-in variables for one panel, and the step of its `query_range`. */
export interface Builtins {
  vars: Record<string, string>;
  stepSeconds: number;
}

/**
 * Grafana's built-in variables as the Prometheus data source fills them for a panel.
 * - `$__interval`: range ÷ max data points (the panel's width in px), rounded by
 *   rangeutil.roundInterval and never below the data source's scrape interval ("Min interval");
 *   docs: https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#__interval
 * - `$__rate_interval`: max($__interval + scrape interval, 4 × scrape interval);
 *   docs: https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/#use-__rate_interval
 *   (the formula as restored by grafana/grafana#77234).
 * - `$__range`, `$__range_s`, `$__range_ms`: to − from, as `<seconds>s`, seconds, ms (the Prometheus
 *   data source's getRangeScopedVars); docs: …/add-template-variables/#__range
 * - The query_range step is `$__interval` in seconds, the same "Min step" rule Grafana applies.
 */
export function builtins(range: TimeRange, widthPx: number, scrapeIntervalSeconds: number): Builtins {
  const { intervalMs, interval: text } = interval(range.fromMs, range.toMs, widthPx, `${scrapeIntervalSeconds}s`);
  const rateMs = Math.max(intervalMs + scrapeIntervalSeconds * 1000, 4 * scrapeIntervalSeconds * 1000);
  const rangeS = Math.round((range.toMs - range.fromMs) / 1000);
  return {
    vars: {
      __interval: text,
      __interval_ms: String(intervalMs),
      __rate_interval: `${Math.round(rateMs / 1000)}s`,
      __range: `${rangeS}s`,
      __range_s: String(rangeS),
      __range_ms: String(range.toMs - range.fromMs),
    },
    stepSeconds: Math.max(scrapeIntervalSeconds, intervalMs / 1000),
  };
}
