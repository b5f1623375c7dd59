import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedDashboards, panelAndAnnotationQueries, type DashboardJson } from './helpers/dashboard-queries.js';
import { TEST_ADMIN_TOKEN, startDemoExporter, startTrafficGenerator, type DemoExporter } from './helpers/exporter.js';
import { liveTestConfig } from './helpers/live-config.js';
import {
  binaryExists,
  PROMETHEUS_BIN,
  startPrometheus,
  until,
  type Child,
  type PromResponse,
  type RunningPrometheus,
} from '@modelwatch/test-support';
import { dataPoints } from './helpers/data-points.js';
import { leftoverVariables, substitute } from './helpers/substitute.js';
import { variableAssignments } from './helpers/variable-assignments.js';

/**
 * Queries that may legitimately return nothing against a healthy exporter fed with demo traffic.
 * Keys are `<dashboard uid> / <panel title> / <refId>` (or `/ annotation <name>`). Each needs a reason.
 */
const ALLOWED_EMPTY: Record<string, string> = {
  // Rollbacks only exist after someone (or an alert) rolled back; demo traffic never does.
  'modelwatch-model-detail / annotation Rollbacks': 'no rollback happens during the test',
  'modelwatch-model-detail / Stage transitions and rollbacks in range / B': 'no rollback happens during the test',
  // Alerts need their `for:` to elapse (minutes) before they fire.
  'modelwatch-fleet-overview / Firing alerts / A': 'no alert has been pending long enough to fire',
  // The cardinality bounds are not hit by the demo's handful of models and features.
  'modelwatch-exporter-health / Dropped / s / A': 'nothing is dropped under the default bounds',
  'modelwatch-exporter-health / Dropped by reason / A': 'nothing is dropped under the default bounds',
};

/** What Grafana would put in for its built-in interval variables, for a 1 s scrape interval. */
function builtins(prom: RunningPrometheus): Record<string, string> {
  const rangeSeconds = Math.max(10, Math.ceil(Date.now() / 1000 - prom.startedAt));
  return { __rate_interval: '15s', __interval: '2s', __range: `${rangeSeconds}s`, __range_s: String(rangeSeconds) };
}

describe.skipIf(!binaryExists(PROMETHEUS_BIN))('every dashboard query against a real Prometheus scraping the demo exporter', () => {
  let exporter: DemoExporter | undefined;
  let prom: RunningPrometheus | undefined;
  let traffic: Child | undefined;

  beforeAll(async () => {
    exporter = await startDemoExporter();
    // `serve --demo` feeds the monitor only; the generator adds registry state, regression and errors.
    traffic = startTrafficGenerator(exporter.url, process.env.DASHBOARDS_TEST_EXPORTER_TOKEN ?? TEST_ADMIN_TOKEN);
    const exporterHostPort = exporter.hostPort;
    prom = await startPrometheus({ config: (self) => liveTestConfig(exporterHostPort, self.hostPort) });
    const p = prom;
    // Enough scrapes for rate() windows, and demo predictions arriving.
    await until(
      '5 scrapes of the exporter with demo predictions (does `modelwatch serve --demo` generate traffic?)',
      async () => {
        const r = await p.query('count_over_time(modelwatch_build_info[1m]) >= 5 and on () count(modelwatch_predictions_total) > 0');
        return r.status === 'success' && dataPoints(r.data) > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, child: p.child },
    );
  });

  afterAll(async () => {
    await traffic?.stop();
    await prom?.stop();
    await exporter?.stop();
  });

  it('parses every query and returns data for every one not explicitly allowed to be empty', async () => {
    const p = prom!;
    const dashboards = loadGeneratedDashboards();
    const pending = new Map<string, { expr: string; instant: boolean; dashboard: DashboardJson; lastError?: string }>();
    for (const d of dashboards)
      for (const q of panelAndAnnotationQueries(d)) pending.set(q.key, { expr: q.expr, instant: q.instant, dashboard: d });
    const total = pending.size;
    const parseErrors: string[] = [];
    const hadData = new Set<string>();

    // Window statistics need labeled feedback to accumulate: retry what is still empty for a while.
    const deadline = Date.now() + 90_000;
    while (pending.size > 0 && Date.now() < deadline) {
      for (const [key, q] of [...pending]) {
        const assignments = await variableAssignments(q.dashboard, p);
        for (const a of assignments) {
          const expr = substitute(q.expr, { ...a, ...builtins(p) });
          expect(leftoverVariables(expr), `${key}: unresolved variables in ${expr}`).toEqual([]);
          const end = Date.now() / 1000;
          const r: PromResponse = q.instant ? await p.query(expr) : await p.queryRange(expr, Math.max(p.startedAt, end - 300), end, 2);
          if (r.status === 'error') {
            q.lastError = `${r.errorType}: ${r.error} in ${expr}`;
            if (r.errorType === 'bad_data') parseErrors.push(`${key}: ${q.lastError}`);
            continue;
          }
          if (dataPoints(r.data) > 0) {
            hadData.add(key);
            pending.delete(key);
            break;
          }
        }
        if (parseErrors.length) break;
      }
      if (parseErrors.length) break;
      if ([...pending.keys()].every((k) => k in ALLOWED_EMPTY)) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }

    expect(parseErrors).toEqual([]);
    expect(traffic!.process.exitCode, `traffic generator exited:\n${traffic!.output()}`).toBeNull();
    const empty = [...pending].filter(([k]) => !(k in ALLOWED_EMPTY)).map(([k, q]) => `${k}${q.lastError ? ` (${q.lastError})` : ''}`);
    expect(empty, 'queries with no data').toEqual([]);
    // Every allowed-empty key must name a real query, so the list cannot rot silently.
    const allKeys = new Set(dashboards.flatMap((d) => panelAndAnnotationQueries(d).map((q) => q.key)));
    expect(Object.keys(ALLOWED_EMPTY).filter((k) => !allKeys.has(k))).toEqual([]);
    expect(hadData.size).toBeGreaterThan(total - Object.keys(ALLOWED_EMPTY).length - 1);
  });
});
