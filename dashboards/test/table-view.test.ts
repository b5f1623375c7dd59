import { describe, expect, it } from 'vitest';
import { loadGeneratedDashboards } from './helpers/dashboard-queries.js';
import type { Dashboard } from './render/dashboard.js';
import type { PanelData } from './render/panel-data.js';
import { tableView } from './render/table-view.js';

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
});
