import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGeneratedDashboards, panelAndAnnotationQueries } from './helpers/dashboard-queries.js';
import { ALERT_RULES_GENERATED_DIR } from './helpers/paths.js';
import { metricNames } from './helpers/promql-names.js';

/**
 * On-call opens the exporter health dashboard for every alert of the modelwatch-exporter group
 * (the platform team's): each series such an alert judges must be on it, read from the generated
 * rules (what Prometheus loads) and the generated dashboard (what Grafana loads).
 */

interface AlertsFile {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string }> }>;
}

describe('the exporter health dashboard', () => {
  const alerts = parse(fs.readFileSync(path.join(ALERT_RULES_GENERATED_DIR, 'modelwatch.alerts.yml'), 'utf8')) as AlertsFile;
  const group = alerts.groups.find((g) => g.name === 'modelwatch-exporter');
  const dashboard = loadGeneratedDashboards().find((d) => d.uid === 'modelwatch-exporter-health');
  const shown = new Set((dashboard ? panelAndAnnotationQueries(dashboard) : []).flatMap((q) => metricNames(q.expr)));

  it('exists, as does the exporter alert group', () => {
    expect(dashboard).toBeDefined();
    expect(group?.rules.length).toBeGreaterThan(4);
  });

  it.each((group?.rules ?? []).map((r) => [r.alert, r.expr] as const))('shows every series %s judges', (_alert, expr) => {
    const judged = metricNames(expr);
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.filter((name) => !shown.has(name))).toEqual([]);
  });
});
