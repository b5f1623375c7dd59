import type { PromResponse, RunningPrometheus } from '@modelwatch/test-support';
import { substitute } from '../helpers/substitute.js';
import { builtins, type TimeRange } from './time-range.js';
import type { Panel } from './dashboard.js';

/** One series a panel draws: a Prometheus result series, named as Grafana names it. */
export interface Series {
  refId: string;
  name: string;
  labels: Record<string, string>;
  /** [seconds since the epoch, value]; NaN stays NaN (Grafana shows it), gaps are absent points. */
  points: Array<[number, number]>;
}

export interface PanelData {
  series: Series[];
  /** Series per target as Prometheus returned them, by refId: the count the render must match. */
  resultSeries: Record<string, number>;
  /** Query errors, `refId: message in expr`. */
  errors: string[];
  /** The expressions sent, after template expansion, by refId. */
  exprs: Record<string, string>;
  instant: boolean;
}

/** Panel types Grafana draws over time from `query_range`, and those that show one value per series. */
export const RANGE_TYPES = new Set(['timeseries', 'status-history', 'state-timeline', 'heatmap']);
export const INSTANT_TYPES = new Set(['stat', 'gauge', 'bargauge', 'table']);

/**
 * The name Grafana's Prometheus data source gives a series: the target's legendFormat with
 * `{{label}}` replaced (and dashboard variables, which Grafana interpolates in legends too), else
 * `metric{label="value", …}` (Grafana's `getOriginalMetricName`), else the expression.
 */
export function seriesName(
  legendFormat: string | undefined,
  labels: Record<string, string>,
  vars: Record<string, string>,
  expr: string,
): string {
  if (legendFormat)
    return substitute(
      legendFormat.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, l: string) => labels[l] ?? ''),
      vars,
    );
  const { __name__: metric, ...rest } = labels;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  if (!metric && !inner) return expr;
  return `${metric ?? ''}{${inner}}`;
}

/**
 * Runs every target of `panel` through Prometheus's HTTP API as Grafana would for `range`: an
 * instant `query` at the range's end for targets marked instant (stat, bar gauge, table), a
 * `query_range` with Grafana's step, start and end aligned to the step, otherwise.
 */
export async function queryPanel(
  prom: RunningPrometheus,
  panel: Panel,
  vars: Record<string, string>,
  range: TimeRange,
  widthPx: number,
): Promise<PanelData> {
  const b = builtins(range, widthPx, prom.scrapeIntervalSeconds);
  const all = { ...vars, ...b.vars };
  const out: PanelData = { series: [], resultSeries: {}, errors: [], exprs: {}, instant: INSTANT_TYPES.has(panel.type) };
  for (const t of panel.targets ?? []) {
    const expr = substitute(t.expr ?? '', all);
    out.exprs[t.refId] = expr;
    const step = b.stepSeconds;
    const end = range.toMs / 1000;
    const r: PromResponse =
      t.instant === true
        ? await prom.query(expr)
        : await prom.queryRange(expr, Math.floor(range.fromMs / 1000 / step) * step, Math.floor(end / step) * step, step);
    if (r.status === 'error') {
      out.errors.push(`${t.refId}: ${r.errorType}: ${r.error} in ${expr}`);
      continue;
    }
    const result = r.data.result as Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
    if (r.data.resultType !== 'vector' && r.data.resultType !== 'matrix') {
      out.errors.push(`${t.refId}: unexpected result type ${r.data.resultType} from ${expr}`);
      continue;
    }
    out.resultSeries[t.refId] = result.length;
    for (const s of result) {
      out.series.push({
        refId: t.refId,
        name: seriesName(t.legendFormat, s.metric, all, expr),
        labels: s.metric,
        points: (s.values ?? (s.value ? [s.value] : [])).map(([ts, v]) => [ts, Number(v)]),
      });
    }
  }
  return out;
}
