import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR } from './paths.js';

export interface DashboardJson {
  uid: string;
  title: string;
  panels: Array<{
    id: number;
    type: string;
    title: string;
    targets?: Array<{ refId: string; expr?: string; instant?: boolean; range?: boolean; format?: string }>;
    fieldConfig?: unknown;
    links?: unknown;
  }>;
  templating: { list: Array<{ name: string; type: string; query?: string | { query?: string }; multi?: boolean; includeAll?: boolean }> };
  annotations?: { list?: Array<{ name: string; expr?: string }> };
}

export interface DashboardQuery {
  dashboard: string;
  /** `<dashboard uid> / <panel title> / <refId>` or `… / annotation <name>`: the key of the allow-empty list. */
  key: string;
  expr: string;
  instant: boolean;
}

export function loadGeneratedDashboards(): DashboardJson[] {
  return fs
    .readdirSync(GENERATED_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, f), 'utf8')) as DashboardJson);
}

export function panelAndAnnotationQueries(d: DashboardJson): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of d.panels) {
    for (const t of p.targets ?? []) {
      if (t.expr === undefined) throw new Error(`${d.uid} / ${p.title} / ${t.refId} has no expr`);
      out.push({ dashboard: d.uid, key: `${d.uid} / ${p.title} / ${t.refId}`, expr: t.expr, instant: t.instant === true });
    }
  }
  for (const a of d.annotations?.list ?? []) {
    if (a.expr) out.push({ dashboard: d.uid, key: `${d.uid} / annotation ${a.name}`, expr: a.expr, instant: false });
  }
  return out;
}

export const variableQuery = (v: DashboardJson['templating']['list'][number]): string | undefined =>
  typeof v.query === 'string' ? v.query : v.query?.query;

/** Parses Grafana's `label_values(selector, label)` (the only variable query form the dashboards use). */
export function parseLabelValues(q: string): { selector: string; label: string } {
  const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(q.trim());
  if (!m) throw new Error(`unsupported variable query: ${q}`);
  return { selector: m[1].trim(), label: m[2] };
}
