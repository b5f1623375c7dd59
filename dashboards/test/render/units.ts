import type { Rendered } from './browser.js';
import type { Panel } from './dashboard.js';
import type { View } from './panel-view.js';

/**
 * What a value formatted in each unit the dashboards use looks like, written from Grafana's unit
 * list (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit)
 * rather than from the formatter under test, so a panel drawn without (or with the wrong) unit fails.
 */
const UNIT_TEXT: Record<string, RegExp> = {
  percentunit: /^-?\d+(\.\d+)?%$/,
  // A custom unit "suffix:<text>" appends a space and the text (Grafana's unit docs, "Custom units").
  'suffix:pp': /^-?\d+(\.\d+)? pp$/,
  s: /^-?\d+(\.\d+)? (ns|µs|ms|s|min|mins|hour|hours|day|days|week|weeks|year|years)$/,
  eps: /^-?\d+(\.\d+)?[KMBT]? evt\/s$/,
  reqps: /^-?\d+(\.\d+)?[KMBT]? req\/s$/,
  cps: /^-?\d+(\.\d+)?[KMBT]? c\/s$/,
  bytes: /^-?\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)$/,
  short: /^-?\d+(\.\d+)?( K| Mil| Bil| Tri)?$/,
  none: /^-?\d+(\.\d+)?(e[+-]?\d+)?$/,
};

const unitOfColumn = (p: Panel, column: string): string | undefined => {
  for (const o of p.fieldConfig?.overrides ?? [])
    if (o.matcher.id === 'byName' && o.matcher.options === column) {
      const u = o.properties.find((x) => x.id === 'unit');
      if (u) return u.value as string;
    }
  return p.fieldConfig?.defaults?.unit;
};

/** Shown values (legend, axis, stat, bar, table cell) whose text does not carry the panel's (or column's) unit. */
export function unitMismatches(p: Panel, view: View, rendered: Rendered): string[] {
  const out: string[] = [];
  type ValueMapping = { type: string; options: Record<string, { text?: string }> };
  const mapped = new Set(
    ((p.fieldConfig?.defaults?.mappings ?? []) as ValueMapping[]).flatMap((m) =>
      m.type === 'value' ? Object.values(m.options).map((o) => o.text) : [],
    ),
  );
  const check = (unit: string | undefined, texts: string[], where: string) => {
    if (view.kind === 'grid') return;
    const pattern = UNIT_TEXT[unit ?? 'none'];
    if (!pattern) {
      out.push(`unit ${unit} has no expected text form in units.ts`);
      return;
    }
    // A value mapping's text (Grafana value mappings, type "value") replaces the number and its unit.
    for (const t of texts)
      if (!pattern.test(t) && !mapped.has(t)) out.push(`${where} ${JSON.stringify(t)} is not in unit ${unit ?? 'none'}`);
  };
  if (view.kind === 'table') {
    for (const c of rendered.cells) check(unitOfColumn(p, c.column), [c.text], `column ${c.column}`);
  } else {
    check(p.fieldConfig?.defaults?.unit, rendered.values, 'value');
    check(p.fieldConfig?.defaults?.unit, rendered.axisLabels, 'axis label');
  }
  return out;
}
