import { colorByName, displayProcessor, text, theme, valueFormat, type FieldConfig } from './grafana.js';
import type { Panel } from './dashboard.js';
import type { PanelData, Series } from './panel-data.js';
import { tableView, type TableView } from './table-view.js';

/** Grafana's "classic palette" (palette-classic), the default series colours of a time series panel. */
const CLASSIC = ['#7EB26D', '#EAB839', '#6ED0E0', '#EF843C', '#E24D42', '#1F78C1', '#BA43A9', '#705DA0', '#508642', '#CCA300'];

export interface TimeSeriesView {
  kind: 'timeseries';
  xs: number[];
  series: Array<{ name: string; color: string; ys: Array<number | null> }>;
  yMin: number;
  yMax: number;
  ticks: Array<{ value: number; label: string }>;
  legend: Array<{ name: string; color: string; last: string; max: string }>;
  fillOpacity: number;
  /** Width of the value axis, px: room for its longest label. */
  axisWidth: number;
}
export interface StatView {
  kind: 'stat' | 'bargauge';
  items: Array<{ name: string; text: string; color: string; fraction: number }>;
}
export interface GridView {
  kind: 'grid';
  xs: number[];
  rows: Array<{ name: string; cells: Array<{ color: string; text: string; span: number }> }>;
}
export type View = (TimeSeriesView | StatView | TableView | GridView) & {
  title: string;
  panelType: string;
  width: number;
  height: number;
  /** What the panel shows instead of data (its noValue, else Grafana's "No data"), or undefined. */
  noData?: string;
};

const defaults = (p: Panel): FieldConfig => p.fieldConfig?.defaults ?? {};
const finite = (v: number) => Number.isFinite(v);

/** "Nice" axis ticks between lo and hi (1, 2, 5 × 10^n steps), about `count` of them. */
function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function timeSeries(p: Panel, data: PanelData, height: number): TimeSeriesView {
  const cfg = defaults(p);
  const xs = [...new Set(data.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const display = displayProcessor(cfg);
  const series = data.series.map((s, i) => {
    const ys: Array<number | null> = xs.map(() => null);
    // Grafana draws NaN and missing samples as gaps.
    for (const [t, v] of s.points) ys[index.get(t)!] = finite(v) ? v : null;
    return { name: s.name, color: CLASSIC[i % CLASSIC.length], ys };
  });
  const values = series.flatMap((s) => s.ys.filter((v): v is number => v !== null));
  let yMin = cfg.min ?? Math.min(0, ...values);
  let yMax = cfg.max ?? Math.max(...values, yMin);
  if (!(yMax > yMin)) yMax = yMin + (yMin === 0 ? 1 : Math.abs(yMin));
  if (cfg.max === undefined) yMax += (yMax - yMin) * 0.05;
  const fmt = valueFormat(cfg.unit);
  const ticks = niceTicks(yMin, yMax, Math.max(2, Math.floor(height / 60))).map((value) => ({ value, label: text(fmt(value)) }));
  const legend = series.map((s) => {
    const present = s.ys.filter((v): v is number => v !== null);
    const last = present.length ? present[present.length - 1] : null;
    const max = present.length ? Math.max(...present) : null;
    return { name: s.name, color: s.color, last: text(display(last)), max: text(display(max)) };
  });
  const fillOpacity = Number((cfg.custom?.fillOpacity as number | undefined) ?? 0) / 100;
  const axisWidth = 28 + 7 * Math.max(...ticks.map((t) => t.label.length));
  return { kind: 'timeseries', xs, series, yMin, yMax, ticks, legend, fillOpacity, axisWidth };
}

/** Stat and bar gauge: one value per series, reduced with lastNotNull (the panels' reduceOptions). */
function values(p: Panel, data: PanelData, kind: 'stat' | 'bargauge'): StatView {
  const cfg = defaults(p);
  const display = displayProcessor(cfg);
  const lasts = data.series.map((s) => s.points.filter(([, v]) => v === v).at(-1)?.[1] ?? null);
  const nums = lasts.filter((v): v is number => v !== null);
  const min = cfg.min ?? Math.min(0, ...nums);
  const max = cfg.max ?? Math.max(...nums, min + 1e-12);
  const items = data.series.map((s, i) => {
    const d = display(lasts[i]);
    const fraction = d.numeric === d.numeric ? Math.min(1, Math.max(0, (d.numeric - min) / (max - min))) : 0;
    return { name: s.name, text: text(d), color: d.color ?? colorByName('text'), fraction };
  });
  return { kind, items };
}

function valueOf(s: Series, t: number): number | undefined {
  return s.points.find(([x]) => x === t)?.[1];
}

/** Status history, state timeline and heat map: one row of cells per series (per bucket for a heat map). */
function grid(p: Panel, data: PanelData): GridView {
  const cfg = defaults(p);
  const xs = [...new Set(data.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  if (p.type === 'heatmap') return heatmap(p, data, xs);
  const display = displayProcessor(cfg);
  const merge = p.type === 'state-timeline' && p.options?.mergeValues !== false;
  const rows = data.series.map((s) => {
    const cells: GridView['rows'][number]['cells'] = [];
    for (const t of xs) {
      const v = valueOf(s, t);
      const d = v === undefined ? undefined : display(v);
      const cell = { color: d?.color ?? 'transparent', text: d ? text(d) : '', span: 1 };
      const prev = cells.at(-1);
      if (merge && prev && prev.text === cell.text && prev.color === cell.color) prev.span++;
      else cells.push(cell);
    }
    return { name: s.name, cells };
  });
  return { kind: 'grid', xs, rows };
}

/**
 * Grafana's heat map of Prometheus buckets (format "heatmap", calculate off): the data source turns
 * cumulative `le` buckets into per-bucket counts at each time (transformToHistogramOverTime in the
 * Prometheus data source's result_transformer.ts); the colour is the "Oranges" scheme, exponential.
 */
function heatmap(p: Panel, data: PanelData, xs: number[]): GridView {
  const le = (s: Series) => (s.labels.le === '+Inf' ? Infinity : Number(s.labels.le));
  const sorted = [...data.series].sort((a, b) => le(a) - le(b));
  const counts = sorted.map((s, i) => xs.map((t) => Math.max(0, (valueOf(s, t) ?? 0) - (i > 0 ? (valueOf(sorted[i - 1], t) ?? 0) : 0))));
  const top = Math.max(1e-12, ...counts.flat());
  const exponent = Number((p.options?.color as { exponent?: number } | undefined)?.exponent ?? 0.5);
  const unit = (p.options?.yAxis as { unit?: string } | undefined)?.unit;
  const fmt = valueFormat(unit);
  const rows = sorted.map((s, i) => ({
    name: s.labels.le === '+Inf' ? '+Inf' : text(fmt(le(s))),
    cells: counts[i].map((c) => {
      const a = c > 0 ? 0.15 + 0.85 * (c / top) ** exponent : 0;
      return { color: `rgba(255, 120, 10, ${a.toFixed(3)})`, text: '', span: 1 };
    }),
  }));
  return { kind: 'grid', xs, rows: rows.reverse() };
}

/** The picture model of one panel: what Grafana would draw, computed with Grafana's own formatters. */
export function panelView(p: Panel, data: PanelData, size: { width: number; height: number }): View {
  const base = { title: p.title, panelType: p.type, ...size };
  const noValue = defaults(p).noValue ?? 'No data';
  const hasData = data.series.some((s) => s.points.length > 0);
  let view: TimeSeriesView | StatView | TableView | GridView;
  if (p.type === 'timeseries') view = timeSeries(p, data, size.height);
  else if (p.type === 'stat' || p.type === 'gauge') view = values(p, data, 'stat');
  else if (p.type === 'bargauge') view = values(p, data, 'bargauge');
  else if (p.type === 'table') view = tableView(p, data);
  else if (p.type === 'status-history' || p.type === 'state-timeline' || p.type === 'heatmap') view = grid(p, data);
  else throw new Error(`${p.title}: panel type ${p.type} has no renderer`);
  // Grafana shows a panel's noValue (or "No data") when no query returned a sample; the stat panel
  // shows it as the value, in the colour the display processor gives it.
  if (!hasData && view.kind === 'stat') {
    const d = displayProcessor(defaults(p))(null);
    view = {
      kind: 'stat',
      items: [{ name: '', text: text(d) || 'No data', color: d.color ?? theme.colors.background.primary, fraction: 0 }],
    };
    return { ...base, ...view };
  }
  return { ...base, ...view, noData: hasData ? undefined : noValue };
}
