import type { PixelStats, Rendered } from './browser.js';
import type { Panel } from './dashboard.js';
import { displayProcessor, text } from './grafana.js';
import type { PanelData } from './panel-data.js';
import type { View } from './panel-view.js';
import { unitMismatches } from './units.js';

/** What one panel's drawing is checked against. */
export interface DrawnPanel {
  panel: Panel;
  data: PanelData;
  view: View;
  rendered: Rendered;
  pixels: PixelStats;
  pageErrors: string[];
  /** Per variable of the dashboard: the label it lists and the values it selects. */
  selections: Array<{ name: string; label: string; allowed: string[] }>;
}

export const hasData = (data: PanelData): boolean => data.series.some((s) => s.points.length > 0);

/** Series (or table values) Prometheus returned for the panel's targets. */
export const resultSeries = (data: PanelData): number => Object.values(data.resultSeries).reduce((a, b) => a + b, 0);

/** The columns a merged table names: its organize step's labels and value columns, renamed, and display names. */
function namedColumns(p: Panel): Set<string> {
  const organize = p.transformations?.find((t) => t.id === 'organize')?.options as
    { indexByName?: Record<string, number>; renameByName?: Record<string, string> } | undefined;
  const named = Object.keys(organize?.indexByName ?? {}).map((c) => organize?.renameByName?.[c] ?? c);
  const displayed = (p.fieldConfig?.overrides ?? []).flatMap((o) =>
    o.properties.filter((x) => x.id === 'displayName').map((x) => String(x.value)),
  );
  return new Set([...named, ...displayed]);
}

/**
 * Why the drawing of one panel is wrong, empty when it is right: query or page errors, a blank
 * picture, NaN/undefined shown, label values its variables do not select, a series count other
 * than Prometheus's, values without the panel's unit, table columns the panel does not name, or (no
 * data) anything but its noValue.
 */
export function panelFailures({ panel, data, view, rendered, pixels, pageErrors, selections }: DrawnPanel): string[] {
  const out: string[] = [];
  if (data.errors.length) out.push(`query errors ${data.errors.join('; ')}`);
  if (pageErrors.length) out.push(`page errors ${pageErrors.join('; ')}`);
  if (!(pixels.variance > 20 && pixels.colours > 4)) out.push(`blank picture (${JSON.stringify(pixels)})`);
  const bad = rendered.values.filter((v) => /NaN|undefined|null|Infinity/.test(v));
  if (bad.length || /\bNaN\b|undefined/.test(rendered.text)) out.push(`shows ${JSON.stringify(bad.length ? bad : rendered.text)}`);
  // A panel whose query uses a variable shows only what the variable selects (e.g. the
  // exporter's instances, not Prometheus's own process under "All").
  const allowed = new Map<string, Set<string>>();
  for (const sel of selections)
    if ((panel.targets ?? []).some((t) => new RegExp(`\\$\\{?${sel.name}\\b`).test(t.expr ?? '')))
      allowed.set(sel.label, new Set([...(allowed.get(sel.label) ?? []), ...sel.allowed]));
  for (const [label, values] of allowed) {
    const stray = [...new Set(data.series.filter((s) => label in s.labels && !values.has(s.labels[label])).map((s) => s.labels[label]))];
    if (stray.length) out.push(`shows ${label} ${stray.join(', ')}, which its variables do not select (${[...values].join(', ')})`);
  }
  if (hasData(data)) {
    if (rendered.noData) out.push('has data but shows its no-data text');
    const drawn = panel.type === 'table' ? rendered.valueCells + (view.kind === 'table' ? view.hiddenValueCells : 0) : rendered.series;
    if (drawn !== resultSeries(data)) out.push(`drew ${drawn} series/values, Prometheus returned ${resultSeries(data)}`);
    out.push(...unitMismatches(panel, view, rendered));
    // A table shows the labels its panel names and its value columns, nothing else: a stray
    // instance/job column (or the model the dashboard already selects) is noise at 3 a.m.
    if (view.kind === 'table') {
      const stray = view.columns.filter((c) => !namedColumns(panel).has(c));
      if (stray.length) out.push(`table shows columns it does not name: ${stray.join(', ')}`);
    }
  } else {
    // Grafana shows the panel's noValue, or "No data" without one (a stat shows it as its value).
    const expected =
      panel.type === 'stat'
        ? text(displayProcessor(panel.fieldConfig?.defaults ?? {})(null)) || 'No data'
        : (panel.fieldConfig?.defaults?.noValue ?? 'No data');
    if (!rendered.values.includes(expected))
      out.push(`no data: shows ${JSON.stringify(rendered.values)}, not its noValue ${JSON.stringify(expected)}`);
    if (data.series.length && panel.type !== 'table') out.push(`${data.series.length} series without points`);
  }
  return out;
}
