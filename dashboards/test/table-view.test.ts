import { describe, expect, it } from 'vitest';
import { loadGeneratedDashboards } from './helpers/dashboard-queries.js';
import type { Dashboard } from './render/dashboard.js';
import { panelFailures } from './render/checks.js';
import type { PanelData } from './render/panel-data.js';
import { panelView } from './render/panel-view.js';
import { tableView } from './render/table-view.js';

const panelOf = (uid: string, title: string) =>
  (loadGeneratedDashboards() as unknown as Dashboard[]).find((d) => d.uid === uid)!.panels.find((p) => p.title === title)!;

/** The fleet table as drawn from three models' instant answers, in Prometheus's (alphabetical) order. */
function fleetTable(accuracy: Record<string, number>) {
  const fleet = (loadGeneratedDashboards() as unknown as Dashboard[]).find((d) => d.uid === 'modelwatch-fleet-overview')!;
  const panel = fleet.panels.find((p) => p.title === 'Models')!;
  const data: PanelData = {
    series: Object.entries(accuracy).map(([model, v]) => ({ refId: 'A', name: model, labels: { model }, points: [[1, v]] })),
    resultSeries: { A: Object.keys(accuracy).length },
    errors: [],
    exprs: {},
    instant: true,
  } as unknown as PanelData;
  return tableView(panel, data);
}

describe('the render test’s tables', () => {
  // The README picture of the fleet overview claimed "worst accuracy first" while drawing rows in
  // Prometheus's order: the table's sortBy was ignored.
  it('order rows by the panel’s sortBy, as Grafana does (fleet table: lowest accuracy first)', () => {
    const view = fleetTable({ a_model: 0.97, b_model: 0.61, c_model: 0.9 });
    expect(view.rows.map((r) => r[0]!.text)).toEqual(['b_model', 'c_model', 'a_model']);
  });

  // The model detail's per-class table showed instance, job and model columns (raw series).
  it('fail a table that shows label columns its panel does not name', () => {
    const panel = panelOf('modelwatch-model-detail', 'Per-class precision, recall, F1');
    const labels = { version: '1', class: 'yes', model: 'm', instance: '127.0.0.1:9108', job: 'modelwatch' };
    const data = {
      series: ['A', 'B', 'C'].map((refId) => ({ refId, name: refId, labels, points: [[1, 0.9]] })),
      resultSeries: { A: 1, B: 1, C: 1 },
      errors: [],
      exprs: {},
      instant: true,
    } as unknown as PanelData;
    const view = panelView(panel, data, { width: 800, height: 300 });
    const rendered = { series: 0, valueCells: 3, axisLabels: [], cells: [], noData: false, text: '', statColors: [], values: ['90.0%'] };
    const failures = panelFailures({
      panel,
      data,
      view,
      rendered,
      pixels: { width: 1, height: 1, variance: 100, colours: 100 },
      pageErrors: [],
      selections: [],
    });
    expect(failures.filter((f) => f.startsWith('table shows'))).toEqual(['table shows columns it does not name: model, instance, job']);
  });
});
