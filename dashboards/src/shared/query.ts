import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasource.js';

export interface QueryOptions {
  legend?: string;
  /** Instant queries feed tables, stats and bar gauges: one value per series "now". */
  instant?: boolean;
  format?: 'table' | 'heatmap' | 'time_series';
}

const FORMATS: Record<NonNullable<QueryOptions['format']>, PromQueryFormat> = {
  table: PromQueryFormat.Table,
  heatmap: PromQueryFormat.Heatmap,
  time_series: PromQueryFormat.TimeSeries,
};

export function prom(refId: string, expr: string, options: QueryOptions = {}): DataqueryBuilder {
  const q = new DataqueryBuilder().refId(refId).expr(expr).datasource(PROMETHEUS);
  if (options.legend !== undefined) q.legendFormat(options.legend);
  if (options.instant) q.instant();
  else q.range();
  if (options.format) q.format(FORMATS[options.format]);
  return q;
}

/** Instant query rendered as a table (one row per series), the usual input of merged tables. */
export const promTable = (refId: string, expr: string): DataqueryBuilder => prom(refId, expr, { instant: true, format: 'table' });
