import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../src/dashboards/index.js';
import { renderDashboard } from '../src/render.js';
import { PROVISIONED_PROMETHEUS_UID } from '../src/shared/datasource.js';
import { APP_PLUGIN_ID, UIDS } from '../src/shared/links.js';
import { loadGeneratedDashboards, panelAndAnnotationQueries, variableQuery, type DashboardJson } from './helpers/dashboard-queries.js';
import { GENERATED_DIR, REPO_ROOT } from './helpers/paths.js';

describe('generated dashboards', () => {
  it('match the committed JSON byte for byte (run `npm run generate -w @modelwatch/dashboards` after editing src/)', () => {
    const committed = fs
      .readdirSync(GENERATED_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(committed).toEqual(DASHBOARDS.map((d) => d.file).sort());
    for (const d of DASHBOARDS) {
      const onDisk = fs.readFileSync(path.join(GENERATED_DIR, d.file), 'utf8');
      expect(renderDashboard(d.build()), `${d.file} is stale`).toBe(onDisk);
    }
  });

  it('render deterministically', () => {
    for (const d of DASHBOARDS) expect(renderDashboard(d.build())).toBe(renderDashboard(d.build()));
  });

  const dashboards = loadGeneratedDashboards();

  it('have the fixed uids the plugin and the links use, all distinct', () => {
    expect(dashboards.map((d) => d.uid).sort()).toEqual(Object.values(UIDS).sort());
  });

  it('read Prometheus through a datasource variable defaulting to the provisioned uid', () => {
    for (const d of dashboards) {
      const ds = d.templating.list.find((v) => v.type === 'datasource');
      expect(ds, d.uid).toMatchObject({ name: 'datasource', query: 'prometheus', current: { value: PROVISIONED_PROMETHEUS_UID } });
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        expect((p as { datasource?: unknown }).datasource, `${d.uid} / ${p.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
        for (const t of p.targets ?? []) expect(t.refId, `${d.uid} / ${p.title}`).toMatch(/^[A-Z]$/);
      }
    }
  });

  it('take model and version from label values of modelwatch_predictions_total', () => {
    const byUid = (uid: string): DashboardJson => dashboards.find((d) => d.uid === uid)!;
    for (const uid of [UIDS.modelDetail, UIDS.versionComparison]) {
      const vars = Object.fromEntries(byUid(uid).templating.list.map((v) => [v.name, variableQuery(v)]));
      expect(vars.model).toBe('label_values(modelwatch_predictions_total, model)');
    }
    const detail = Object.fromEntries(byUid(UIDS.modelDetail).templating.list.map((v) => [v.name, variableQuery(v)]));
    expect(detail.version).toBe('label_values(modelwatch_predictions_total{model="$model"}, version)');
  });

  it('give every panel a title and a description, and refIds unique within a panel', () => {
    for (const d of dashboards) {
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        expect(p.title.length, d.uid).toBeGreaterThan(0);
        expect((p as { description?: string }).description ?? '', `${d.uid} / ${p.title}`).not.toBe('');
        const refs = (p.targets ?? []).map((t) => t.refId);
        expect(new Set(refs).size, `${d.uid} / ${p.title}`).toBe(refs.length);
      }
    }
  });

  it('link every red-capable model panel to the model page of the app plugin in one click', () => {
    const constants = fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin', 'src', 'constants.ts'), 'utf8');
    // The plugin routes its model page as `${PLUGIN_BASE_URL}/${ROUTES.Models}/:model`.
    expect(constants).toMatch(/ROUTES\.Models\}\/:model/);
    const pluginJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin', 'src', 'plugin.json'), 'utf8')) as { id: string };
    expect(pluginJson.id).toBe(APP_PLUGIN_ID);
    const modelPage = `/a/${APP_PLUGIN_ID}/models/`;
    let checked = 0;
    for (const d of dashboards.filter((x) => x.uid !== UIDS.exporterHealth)) {
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        const json = JSON.stringify(p.fieldConfig ?? {});
        // A panel can turn red when a threshold step (defaults or an override) is red.
        if (!json.includes('"color":"red"')) continue;
        checked++;
        // Fleet-wide counts (one series, no model label) link to the model list; everything else to one model's page.
        const fleetWide = (p.targets ?? []).every((t) => /^(count|sum)\(/.test(t.expr ?? ''));
        const expected = fleetWide ? `"url":"/a/${APP_PLUGIN_ID}/models"` : `"url":"${modelPage}\${`;
        expect(json, `${d.uid} / ${p.title} can go red but has no data link ${expected}`).toContain(expected);
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('show a failure as a value: stats that can go red have a value when their query finds nothing (issue 16)', () => {
    let checked = 0;
    for (const d of dashboards) {
      for (const p of d.panels.filter((x) => x.type === 'stat')) {
        const defaults = (p.fieldConfig as { defaults?: { noValue?: string; thresholds?: { steps?: Array<{ color: string }> } } })
          ?.defaults;
        if (!defaults?.thresholds?.steps?.some((st) => st.color === 'red')) continue;
        // Failure counts (fleet-wide count/sum): "nothing found" means 0 failures or 0 exporters up,
        // a number. A per-model measurement with no samples is honestly "No data".
        if (!(p.targets ?? []).every((t) => /^(count|sum)\(/.test(t.expr ?? ''))) continue;
        checked++;
        const alwaysAnswers = (p.targets ?? []).every((t) => /or vector\(\d+\)$/.test(t.expr ?? ''));
        expect(defaults.noValue !== undefined || alwaysAnswers, `${d.uid} / ${p.title} shows "No data" instead of a value`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(2);
    const health = dashboards.find((d) => d.uid === UIDS.exporterHealth)!;
    const up = health.panels.find((p) => p.title === 'Exporters up')!;
    expect(up.targets?.[0].expr).toMatch(/ or vector\(0\)$/);
    // Down is red: the base step (below 1) is red.
    expect(JSON.stringify(up.fieldConfig)).toContain('"steps":[{"value":null,"color":"red"},{"value":1,"color":"green"}]');
  });

  it('link table cells through a field reference that resolves on table-format rows (issue 16)', () => {
    const fleet = dashboards.find((d) => d.uid === UIDS.fleet)!;
    for (const p of fleet.panels.filter((x) => x.type === 'table')) {
      const json = JSON.stringify(p.fieldConfig ?? {});
      expect(json, p.title).not.toContain('__field.labels.model');
      expect(json, p.title).toContain('${__data.fields.model}');
    }
  });

  it('never show histogram_quantile NaN for a model without traffic (issue 16)', () => {
    for (const d of dashboards)
      for (const p of d.panels)
        for (const t of p.targets ?? [])
          if (/histogram_quantile/.test(t.expr ?? '') && p.type !== 'timeseries')
            expect(t.expr, `${d.uid} / ${p.title}`).toMatch(/>= 0\)?$/);
  });

  it('carry stage-transition and rollback annotations on the model detail dashboard', () => {
    const detail = dashboards.find((d) => d.uid === UIDS.modelDetail)!;
    const exprs = panelAndAnnotationQueries(detail)
      .filter((q) => q.key.includes('annotation'))
      .map((q) => q.expr);
    expect(exprs.some((e) => e.includes('modelwatch_stage_transitions_total{model="$model"}'))).toBe(true);
    expect(exprs.some((e) => e.includes('modelwatch_rollbacks_total{model="$model"}'))).toBe(true);
  });
});
