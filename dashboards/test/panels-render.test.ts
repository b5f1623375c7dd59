import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binaryExists,
  publishReadmePictures,
  PROMETHEUS_BIN,
  startPrometheus,
  until,
  type Child,
  type RunningPrometheus,
} from '@modelwatch/test-support';
import { loadGeneratedDashboards, type DashboardJson } from './helpers/dashboard-queries.js';
import { TEST_ADMIN_TOKEN, startDemoExporter, startTrafficGenerator, type DemoExporter } from './helpers/exporter.js';
import { liveTestConfig } from './helpers/live-config.js';
import { DASHBOARDS_DIR } from './helpers/paths.js';
import { variableAssignments, variableSelections } from './helpers/variable-assignments.js';
import { CHROMIUM, startRenderer, type PanelRenderer } from './render/browser.js';
import { compositeHtml, indexHtml, type IndexEntry } from './render/composite.js';
import { panelSize, type Dashboard, type Panel } from './render/dashboard.js';
import { colorByName } from './render/grafana.js';
import { INSTANT_TYPES, queryPanel, RANGE_TYPES } from './render/panel-data.js';
import { panelView } from './render/panel-view.js';
import { hasData, panelFailures, resultSeries } from './render/checks.js';
import { fewestAssignments, type Assignment } from './render/cover.js';

/**
 * Every panel of every generated dashboard drawn from a real Prometheus scraping the demo exporter
 * (plus the compose stack's traffic generator), in Debian's Chromium, uPlot for time series as in
 * Grafana's TimeSeries panel: one PNG per panel and one composite per dashboard under
 * dashboards/test-output/dashboards/ (gitignored), with an index.html. With
 * MODELWATCH_UPDATE_SCREENSHOTS=1 the composites the README shows are copied to docs/images/.
 */
const OUT = path.join(DASHBOARDS_DIR, 'test-output', 'dashboards');
/** The composites the README shows (the first variable assignment drawn), by dashboard uid. */
const README_PICTURES: Record<string, string> = {
  'modelwatch-fleet-overview': 'docs/images/dashboard-fleet-overview.png',
  'modelwatch-model-detail': 'docs/images/dashboard-model-detail.png',
};

/**
 * Panels empty by design against the demo, keyed `<dashboard uid> / <panel title>`. Each must then
 * show its noValue (or Grafana's "No data" when it has none) — never a blank panel.
 */
const EMPTY_BY_DESIGN: Record<string, string> = {
  // Alerts need their `for:` (minutes) to elapse before they fire; the test runs for about a minute.
  'modelwatch-fleet-overview / Firing alerts': 'no alert has been pending long enough to fire',
  // The cardinality bounds are not hit by the demo's handful of models and features: a "nothing
  // dropped" is a value (issue 16: a failure must show as a value, not as "No data").
  'modelwatch-exporter-health / Dropped / s': 'nothing is dropped under the default bounds; shows its noValue 0',
  'modelwatch-exporter-health / Dropped by reason': 'nothing is dropped under the default bounds; shows "nothing dropped"',
};

/** How long Prometheus scrapes (1 s interval) before the pictures are drawn: enough points per series. */
const MIN_SCRAPES = 20;
const DATA_DEADLINE_MS = 90_000;

const key = (d: Dashboard, p: Panel) => `${d.uid} / ${p.title}`;
const leafPanels = (d: Dashboard) => d.panels.filter((p) => p.type !== 'row');
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

describe.skipIf(!binaryExists(PROMETHEUS_BIN) || !fs.existsSync(CHROMIUM))('dashboards drawn from a real Prometheus into PNGs', () => {
  let exporter: DemoExporter | undefined;
  let prom: RunningPrometheus | undefined;
  let traffic: Child | undefined;
  let renderer: PanelRenderer | undefined;
  const began = Date.now();

  beforeAll(async () => {
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    exporter = await startDemoExporter();
    traffic = startTrafficGenerator(exporter.url, process.env.DASHBOARDS_TEST_EXPORTER_TOKEN ?? TEST_ADMIN_TOKEN);
    const exporterHostPort = exporter.hostPort;
    prom = await startPrometheus({ config: (self) => liveTestConfig(exporterHostPort, self.hostPort) });
    renderer = await startRenderer();
    const p = prom;
    await until(
      `${MIN_SCRAPES} scrapes of the exporter with demo predictions`,
      async () => {
        const r = await p.query(
          `count_over_time(modelwatch_build_info[5m]) >= ${MIN_SCRAPES} and on () count(modelwatch_predictions_total) > 0`,
        );
        return r.status === 'success' && (r.data.result as unknown[]).length > 0 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, child: p.child },
    );
  });

  afterAll(async () => {
    await renderer?.close();
    await traffic?.stop();
    await prom?.stop();
    await exporter?.stop();
  });

  it('draws every panel with the data Prometheus returns, in the panel units, never blank', async () => {
    const p = prom!;
    const dashboards = loadGeneratedDashboards() as unknown as Dashboard[];
    for (const d of dashboards)
      for (const panel of d.panels)
        expect(panel.panels ?? [], `${key(d, panel)}: collapsed rows hide panels the test would miss`).toEqual([]);
    const allKeys = new Set(dashboards.flatMap((d) => leafPanels(d).map((panel) => key(d, panel))));
    expect(
      Object.keys(EMPTY_BY_DESIGN).filter((k) => !allKeys.has(k)),
      'exceptions that name no panel',
    ).toEqual([]);
    for (const d of dashboards)
      for (const panel of leafPanels(d))
        expect(RANGE_TYPES.has(panel.type) || INSTANT_TYPES.has(panel.type), `${key(d, panel)}: panel type ${panel.type}`).toBe(true);

    // Window statistics need labeled feedback to accumulate: wait until every panel that should
    // have data has it for some assignment of the variables (one model is classification, one
    // regression), then pick the fewest assignments that cover every panel with data.
    const range = () => ({ fromMs: p.startedAt * 1000, toMs: Date.now() });
    const deadline = Date.now() + DATA_DEADLINE_MS;
    let coverage = new Map<string, Assignment[]>();
    for (;;) {
      coverage = new Map();
      const missing: string[] = [];
      for (const d of dashboards) {
        const options: Assignment[] = [];
        for (const vars of await variableAssignments(d as unknown as DashboardJson, p)) {
          const withData = new Set<string>();
          for (const panel of leafPanels(d))
            if (hasData(await queryPanel(p, panel, vars, range(), panelSize(panel).width))) withData.add(key(d, panel));
          options.push({ vars, panels: withData });
        }
        coverage.set(d.uid, options);
        for (const panel of leafPanels(d)) {
          const k = key(d, panel);
          if (!(k in EMPTY_BY_DESIGN) && !options.some((o) => o.panels.has(k))) missing.push(k);
        }
      }
      if (missing.length === 0 || Date.now() > deadline) {
        expect(missing, 'panels with no data for any assignment of their variables').toEqual([]);
        break;
      }
      await new Promise((r) => setTimeout(r, 3_000));
    }

    const failures: string[] = [];
    const entries: IndexEntry[] = [];
    const drawnWithData = new Set<string>();
    const readme: Record<string, string> = {};
    for (const d of dashboards) {
      const chosen = fewestAssignments(coverage.get(d.uid)!);
      for (const [i, option] of chosen.entries()) {
        const r = range();
        const name = `${slug(d.uid.replace(/^modelwatch-/, ''))}${chosen.length > 1 ? `-${i + 1}` : ''}`;
        fs.mkdirSync(path.join(OUT, name), { recursive: true });
        const entry: IndexEntry = { dashboard: d.title, vars: option.vars, composite: `${name}.png`, panels: [] };
        const pngOf = new Map<Panel, string>();
        const selections = await variableSelections(d as unknown as DashboardJson, option.vars, p);
        for (const panel of leafPanels(d)) {
          const size = panelSize(panel);
          const data = await queryPanel(p, panel, option.vars, r, size.width);
          const view = panelView(panel, data, size);
          const png = `${name}/${String(panel.id).padStart(2, '0')}-${slug(panel.title)}.png`;
          pngOf.set(panel, png);
          const { rendered, pixels, pageErrors } = await renderer!.render(view, path.join(OUT, png));
          // Beside each picture, the queries sent and what Prometheus answered, for a reviewer.
          fs.writeFileSync(
            path.join(OUT, png.replace(/\.png$/, '.json')),
            JSON.stringify({ exprs: data.exprs, series: data.series }, null, 1),
          );
          const k = key(d, panel);
          if (hasData(data)) drawnWithData.add(k);
          const drawn = { panel, data, view, rendered, pixels, pageErrors, selections };
          for (const m of panelFailures(drawn)) failures.push(`${k} ${JSON.stringify(option.vars)}: ${m}`);
          entry.panels.push({
            title: panel.title,
            png,
            note: hasData(data)
              ? `${resultSeries(data)} series, ${rendered.values.slice(0, 4).join(', ')}`
              : `no data: ${rendered.values.join(', ')}`,
          });
        }
        const html = path.join(OUT, `${name}.html`);
        const rangeText = `${new Date(r.fromMs).toISOString().slice(11, 19)} – ${new Date(r.toMs).toISOString().slice(11, 19)} UTC`;
        fs.writeFileSync(
          html,
          compositeHtml(d, option.vars, rangeText, (panel) => pngOf.get(panel)!),
        );
        const pixels = await renderer!.screenshotFile(html, path.join(OUT, entry.composite), 1600);
        if (!(pixels.variance > 20)) failures.push(`${d.uid}: blank composite`);
        entries.push(entry);
        if (README_PICTURES[d.uid] && i === 0) readme[path.join(OUT, entry.composite)] = README_PICTURES[d.uid];
      }
    }
    fs.writeFileSync(path.join(OUT, 'index.html'), indexHtml(entries, (Date.now() - began) / 1000));

    expect(failures).toEqual([]);
    const shouldHaveData = [...allKeys].filter((k) => !(k in EMPTY_BY_DESIGN));
    expect(
      shouldHaveData.filter((k) => !drawnWithData.has(k)),
      'panels never drawn with data',
    ).toEqual([]);
    // Only a run that drew every panel right refreshes the README's pictures.
    expect(Object.values(readme).sort()).toEqual(Object.values(README_PICTURES).sort());
    publishReadmePictures(readme, began);
  });

  // Issue 16: "Exporters up" showed "No data" instead of a red 0 when the exporter was down.
  it('with the exporter down, draws "Exporters up" as a red 0 (a failure shows as a value)', async () => {
    const p = prom!;
    const d = (loadGeneratedDashboards() as unknown as Dashboard[]).find((x) => x.uid === 'modelwatch-exporter-health')!;
    const vars = (await variableAssignments(d as unknown as DashboardJson, p))[0];
    await traffic?.stop();
    await exporter?.stop();
    exporter = undefined;
    await until(
      'Prometheus to see the exporter down',
      async () => {
        const r = await p.query('up{job="modelwatch"} == 0');
        return r.status === 'success' && (r.data.result as unknown[]).length > 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, child: p.child },
    );
    const dir = path.join(OUT, 'exporter-health-down');
    fs.mkdirSync(dir, { recursive: true });
    const r = { fromMs: p.startedAt * 1000, toMs: Date.now() };
    const pngOf = new Map<Panel, string>();
    let up: { values: string[]; statColors: string[] } | undefined;
    for (const panel of leafPanels(d)) {
      const size = panelSize(panel);
      const data = await queryPanel(p, panel, vars, r, size.width);
      const png = `exporter-health-down/${String(panel.id).padStart(2, '0')}-${slug(panel.title)}.png`;
      pngOf.set(panel, png);
      const { rendered } = await renderer!.render(panelView(panel, data, size), path.join(OUT, png));
      if (panel.title === 'Exporters up') up = rendered;
    }
    const html = path.join(OUT, 'exporter-health-down.html');
    fs.writeFileSync(
      html,
      compositeHtml(d, vars, 'exporter stopped', (panel) => pngOf.get(panel)!),
    );
    await renderer!.screenshotFile(html, path.join(OUT, 'exporter-health-down.png'), 1600);
    const red = colorByName('red');
    const rgb = `rgb(${[1, 3, 5].map((i) => parseInt(red.slice(i, i + 2), 16)).join(', ')})`;
    expect({ values: up?.values, statColors: up?.statColors }).toEqual({ values: ['0'], statColors: [rgb] });
  });
});
