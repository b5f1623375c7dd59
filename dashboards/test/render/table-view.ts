import { displayProcessor, text, type FieldConfig } from './grafana.js';
import type { Panel } from './dashboard.js';
import type { PanelData } from './panel-data.js';

export interface TableView {
  kind: 'table';
  columns: string[];
  rows: Array<Array<{ text: string; color?: string; value: boolean }>>;
  /** Value cells in columns the panel hides (custom.hidden): counted, not drawn. */
  hiddenValueCells: number;
}

type Row = Record<string, string | number>;

/**
 * Grafana's table of instant, table-format Prometheus results: one frame per target with a Time
 * column, one column per label and `Value #<refId>` (`Value` when the panel has one target); then the
 * panel's transformations — `merge` (rows that agree on every field they share become one row,
 * Grafana's transformers/merge) and `organize` (exclude, order, rename) — then overrides by name
 * (unit, thresholds, colour-background cells, hidden columns, display name) and the panel's sortBy.
 */
export function tableView(p: Panel, data: PanelData): TableView {
  const targets = p.targets ?? [];
  const valueCol = (refId: string) => (targets.length > 1 ? `Value #${refId}` : 'Value');
  const valueCols = new Set(targets.map((t) => valueCol(t.refId)));
  let rows: Row[] = data.series.map((s) => {
    const { __name__: _, ...labels } = s.labels;
    return { Time: s.points[0]?.[0] ?? 0, ...labels, [valueCol(s.refId)]: s.points[0]?.[1] ?? NaN };
  });
  const ids = (p.transformations ?? []).map((t) => t.id);
  if (ids.some((id) => id !== 'merge' && id !== 'organize')) throw new Error(`${p.title}: unsupported transformations ${ids.join(', ')}`);
  if (targets.length > 1 && !ids.includes('merge'))
    throw new Error(`${p.title}: several targets without merge show one frame at a time in Grafana`);
  if (ids.includes('merge')) rows = merge(rows, valueCols);
  let columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const organize = p.transformations?.find((t) => t.id === 'organize')?.options as
    { excludeByName?: Record<string, boolean>; indexByName?: Record<string, number>; renameByName?: Record<string, string> } | undefined;
  const rename = (c: string) => organize?.renameByName?.[c] ?? c;
  if (organize) {
    columns = columns.filter((c) => !organize.excludeByName?.[c]);
    const idx = organize.indexByName ?? {};
    columns.sort((a, b) => (idx[a] ?? 1000) - (idx[b] ?? 1000));
  }
  const config = (name: string): FieldConfig => {
    let c: FieldConfig = { ...(p.fieldConfig?.defaults ?? {}) };
    for (const o of p.fieldConfig?.overrides ?? []) {
      if (o.matcher.id !== 'byName' || o.matcher.options !== name) continue;
      for (const prop of o.properties) {
        if (prop.id.startsWith('custom.')) c = { ...c, custom: { ...c.custom, [prop.id.slice(7)]: prop.value } };
        else c = { ...c, [prop.id]: prop.value };
      }
    }
    return c;
  };
  const shownName = (c: string) => config(rename(c)).displayName ?? rename(c);
  // The panel's sortBy (options.sortBy[0], by display name): Grafana's table starts sorted by it.
  // Rows without a value go last either way (as in the old table's sortTableData for ascending;
  // where TableNG puts them when descending was not checked against its source).
  const sortBy = (p.options?.sortBy as Array<{ displayName: string; desc?: boolean }> | undefined)?.[0];
  const sortCol = sortBy ? columns.find((c) => shownName(c) === sortBy.displayName) : undefined;
  // A sortBy column no query answered (e.g. F1 for a regression model) leaves the order as it is, as in Grafana.
  if (sortBy && sortCol !== undefined) {
    const sign = sortBy.desc ? -1 : 1;
    rows = [...rows].sort((a, b) => {
      const x = a[sortCol];
      const y = b[sortCol];
      if (x === undefined || y === undefined) return Number(x === undefined) - Number(y === undefined);
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
  }
  const shown = columns.filter((c) => !config(rename(c)).custom?.hidden);
  let hiddenValueCells = 0;
  for (const c of columns) if (!shown.includes(c) && valueCols.has(c)) hiddenValueCells += rows.filter((r) => r[c] !== undefined).length;
  const cells = rows.map((r) =>
    shown.map((c) => {
      const v = r[c];
      if (v === undefined) return { text: '', value: false };
      if (!valueCols.has(c)) return { text: String(v), value: false };
      const cfg = config(rename(c));
      const d = displayProcessor(cfg)(v as number);
      const background = (cfg.custom?.cellOptions as { type?: string } | undefined)?.type === 'color-background';
      return { text: text(d), color: background ? d.color : undefined, value: true };
    }),
  );
  return { kind: 'table', columns: shown.map(shownName), rows: cells, hiddenValueCells };
}

/** Grafana's merge transformation: a row joins an earlier one when every field both have is equal (Time aside). */
function merge(rows: Row[], valueCols: Set<string>): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const target = out.find(
      (o) =>
        Object.keys(r).every((k) => k === 'Time' || (valueCols.has(k) ? o[k] === undefined : o[k] === undefined || o[k] === r[k])) &&
        Object.keys(o).some((k) => !valueCols.has(k) && k !== 'Time' && r[k] === o[k]),
    );
    if (target) Object.assign(target, r);
    else out.push({ ...r });
  }
  return out;
}
