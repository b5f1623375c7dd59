import { GRID, panelPosition, panelSize, type Dashboard, type Panel } from './dashboard.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * A dashboard laid out as Grafana lays it out: each panel's PNG at its gridPos (24 columns, 30 px
 * rows, 8 px gaps), rows as headers, under the dashboard's title and the variables it was drawn with.
 */
export function compositeHtml(d: Dashboard, vars: Record<string, string>, rangeText: string, pngOf: (p: Panel) => string): string {
  const bottom = Math.max(...d.panels.map((p) => panelPosition(p).top + panelSize(p).height)) + GRID.margin;
  const header = 56;
  const items = d.panels.map((p) => {
    const { left, top } = panelPosition(p);
    const { width, height } = panelSize(p);
    const pos = `position:absolute;left:${left}px;top:${top + header}px;width:${width}px`;
    if (p.type === 'row')
      return `<div style="${pos};height:${height}px;font-size:16px;font-weight:500;line-height:${height}px">⌄ ${esc(p.title)}</div>`;
    return `<img style="${pos};height:${height}px" src="${esc(pngOf(p))}" alt="${esc(p.title)}">`;
  });
  const varText = Object.entries(vars)
    .map(([k, v]) => `${esc(k)}: <b>${esc(v)}</b>`)
    .join(' &nbsp; ');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(d.title)}</title></head>
<body style="margin:0;background:#111217;color:#ccccdc;font-family:Inter,Helvetica,Arial,sans-serif;font-size:13px">
<div style="position:relative;width:${GRID.width}px;height:${bottom + header}px">
<div style="position:absolute;left:${GRID.margin}px;top:8px;font-size:18px;font-weight:500">${esc(d.title)}</div>
<div style="position:absolute;left:${GRID.margin}px;top:34px">${varText} &nbsp; ${esc(rangeText)}</div>
${items.join('\n')}
</div></body></html>`;
}

export interface IndexEntry {
  dashboard: string;
  vars: Record<string, string>;
  composite: string;
  panels: Array<{ title: string; png: string; note: string }>;
}

/** index.html linking every composite and panel picture, with what each panel showed. */
export function indexHtml(entries: IndexEntry[], wallSeconds: number): string {
  const sections = entries.map(
    (e) => `<h2>${esc(e.dashboard)} <small>${esc(JSON.stringify(e.vars))}</small></h2>
<p><a href="${esc(e.composite)}"><img src="${esc(e.composite)}" style="max-width:800px;border:1px solid #444"></a></p>
<ul>${e.panels.map((p) => `<li><a href="${esc(p.png)}">${esc(p.title)}</a> — ${esc(p.note)}</li>`).join('')}</ul>`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>modelwatch dashboards, rendered</title></head>
<body style="font-family:sans-serif;margin:2em">
<h1>modelwatch dashboards from a real Prometheus scraping the demo exporter</h1>
<p>Written by dashboards/test/panels-render.test.ts (${wallSeconds.toFixed(0)} s after Prometheus started).</p>
${sections.join('\n')}
</body></html>`;
}
