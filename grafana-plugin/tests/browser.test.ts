import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  publishReadmePictures,
  startExporter,
  startPrometheus,
  until,
  type RunningExporter,
  type RunningPrometheus,
} from '@modelwatch/test-support';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HarnessDatasource } from '../harness/datasources';
import { seedRegistry } from '../harness/seed';
import { startHarness, type RunningHarness } from '../harness/server';
import { seedLiveTraffic, type LiveTraffic } from '../harness/traffic';
import { FLEET, rulesWithoutFor, seedFleetRegistry, seedFleetTraffic } from '../harness/fleet';
import { TRIAGE_QUERIES, type TriageQuery, type TriageSamples } from '../src/health/queries';
import { assessFleet } from '../src/health/health';
import { alertText, TRIAGE_COLUMNS } from '../src/health/present';
import { LIVE_QUERIES } from '../src/api/liveQueries';
import { LIVE_COLUMNS } from '../src/components/LiveMetrics/liveColumns';
import { testIds } from '../src/constants';
import { alertsQuery, incidentCharts } from '../src/incident/queries';
import { legendName } from '../src/incident/legend';
import { describeChange } from '../src/incident/events';
import { ROLLBACK_ROWS } from '../src/components/RollbackDialog/rollbackRows';
import { versionNumberQueries } from '../src/api/versionQueries';
import { toAuditEntry, type ApiListAudit } from '../src/api/normalize';
import { shows } from './shownNumber';

/**
 * The built plugin in Chromium, against a real exporter through the harness's copy of
 * Grafana's plugin proxy: list, live metrics from a real Prometheus through /api/ds/query, gate
 * refusal, promotion, rollback, audit — and the token never reaching the browser.
 */
jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'test-output');
/** Pictures the READMEs show, drawn by this test into OUT (MODELWATCH_UPDATE_SCREENSHOTS=1 refreshes them). */
const README_PICTURES = ['models-live.png', 'models-triage.png', 'incident-view.png', 'gate-failure.png', 'model-page.png'];
const SUITE_STARTED_MS = Date.now();

if (!fs.existsSync(CHROMIUM)) {
  throw new Error(`${CHROMIUM} not found: install Debian's chromium package (.ci/run does) to run the browser test`);
}

interface Seen {
  what: string;
  text: string;
}

describe('modelwatch app in Chromium against a real exporter', () => {
  let exporter: RunningExporter;
  let prometheus: RunningPrometheus;
  let traffic: LiveTraffic;
  let promDatasource: HarnessDatasource;
  let harness: RunningHarness;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let userDataDir: string;
  let exporterDataDir: string;
  let seededAtMs: number;
  const seen: Seen[] = [];

  // The row test id sits in the model cell (InteractiveTable renders the <tr> itself): the row is its <tr>.
  const modelRow = (name: string) => page.getByTestId(testIds.models.row(name)).locator('xpath=ancestor::tr[1]');
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  const recordHtml = async (what: string) => seen.push({ what: `html ${what}`, text: await page.content() });

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    // The exporter trusts X-Grafana-User only from the token named in its configuration, which
    // exists only once seeded: seed, then restart on the same data with MODELWATCH_GRAFANA_TOKEN_ID.
    exporterDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-app-exporter-'));
    // The incident view's range starts here, so the seeded stage moves fall inside it.
    seededAtMs = Date.now() - 1000;
    const seeding = await startExporter({ dataDir: exporterDataDir });
    token = (await seedRegistry(seeding)).operatorToken;
    await seedFleetRegistry(seeding);
    await seeding.stop();
    const grafanaTokenId = /^mw_([a-z0-9]{12})_/.exec(token)?.[1] ?? '';
    exporter = await startExporter({
      dataDir: exporterDataDir,
      adminToken: seeding.adminToken,
      env: { MODELWATCH_GRAFANA_TOKEN_ID: grafanaTokenId },
    });
    // The real alerting rules (for: 0s), so ALERTS holds what the triage view must show.
    prometheus = await startPrometheus({
      targets: [new URL(exporter.url).host],
      ruleFiles: rulesWithoutFor(path.join(ROOT, '..', 'alert-rules', 'generated')),
    });
    traffic = await seedLiveTraffic(exporter, prometheus);
    await seedFleetTraffic(exporter, prometheus, traffic.ingestToken);
    promDatasource = {
      uid: 'modelwatch-prometheus',
      name: 'Prometheus',
      type: 'prometheus',
      url: prometheus.url,
      jsonData: { timeInterval: `${prometheus.scrapeIntervalSeconds}s`, httpMethod: 'POST' },
      isDefault: true,
    };
    harness = await startHarness({
      pluginDist: path.join(ROOT, 'dist'),
      hostDist: path.join(ROOT, 'harness', 'dist'),
      settings: { jsonData: { exporterUrl: exporter.url }, secureJsonData: { exporterToken: token } },
      role: 'Editor',
      // Grafana without datasources first; the live-metrics test adds the Prometheus one.
      datasources: [],
      dsQuerySettleMs: 300,
    });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => seen.push({ what: 'pageerror', text: String(err) }));
    page.on('console', (msg) => {
      if (msg.type() === 'error') seen.push({ what: 'console error', text: msg.text() });
    });
    page.setDefaultTimeout(20_000);
    // Everything the browser sends and receives, for the token checks at the end.
    context.on('request', (req) => {
      void req.allHeaders().then(
        (h) =>
          seen.push({ what: `request ${req.method()} ${req.url()}`, text: `${req.url()}\n${JSON.stringify(h)}\n${req.postData() ?? ''}` }),
        // A request still in flight when the browser closes has no headers to read.
        () => {},
      );
    });
    context.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      if (/json|html|text/.test(type))
        void res.text().then(
          (t) => seen.push({ what: `response ${res.url()}`, text: t }),
          () => {},
        );
    });
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
    await prometheus?.stop();
    await exporter?.stop();
    if (exporterDataDir) fs.rmSync(exporterDataDir, { recursive: true, force: true });
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('lists models with the production version and filters by search', async () => {
    await page.goto(`${harness.url}/a/modelwatch-app/models`);
    const row = modelRow('fraud_detector');
    await row.waitFor();
    expect(await row.textContent()).toContain('1.1');
    // No Prometheus datasource in Grafana: the page says why the live columns are missing.
    const notice = page.getByTestId(testIds.models.liveMetrics);
    await notice.waitFor();
    expect(await notice.textContent()).toContain('No Prometheus datasource is configured in Grafana');
    expect(await page.getByRole('columnheader', { name: LIVE_COLUMNS[0].title }).count()).toBe(0);
    expect(harness.dsQueries).toEqual([]);
    await shot('models');
    await recordHtml('models');
    await page.getByTestId(testIds.models.search).fill('growth');
    await page.getByTestId(testIds.models.row('fraud_detector')).waitFor({ state: 'detached' });
    expect(await page.getByTestId(testIds.models.row('churn_model')).isVisible()).toBe(true);
  });

  it('shows live accuracy, traffic, errors and p95 latency from a real Prometheus through /api/ds/query', async () => {
    harness.setDatasources([promDatasource]);
    await page.goto(`${harness.url}/a/modelwatch-app/models`);
    await page.getByRole('columnheader', { name: LIVE_COLUMNS[0].title }).waitFor();
    expect(await page.getByTestId(testIds.models.liveMetrics).count()).toBe(0);
    const headers = (await page.locator('thead th').allTextContents()).map((t) => t.trim());
    expect(headers).toEqual([...TRIAGE_COLUMNS, ...LIVE_COLUMNS.map((c) => c.title)]);

    // What the page asked Grafana: the plugin's queries, all against the Prometheus datasource.
    expect(harness.dsQueries).toHaveLength(1);
    const asked = harness.dsQueries[0];
    expect(asked.status).toBe(200);
    expect(Object.fromEntries(asked.queries.map((q) => [q.refId, q.expr]))).toEqual({ ...LIVE_QUERIES, ...TRIAGE_QUERIES });
    expect(asked.queries.every((q) => q.datasourceUid === promDatasource.uid)).toBe(true);

    // The same queries straight to Prometheus, at the instant Grafana evaluated them.
    const direct: Record<string, Record<string, number>> = {};
    for (const c of LIVE_COLUMNS) {
      const r = await prometheus.query(LIVE_QUERIES[c.key], asked.evaluatedAtMs / 1000);
      expect(r.status).toBe('success');
      const series = r.data?.result as Array<{ metric: { model?: string }; value: [number, string] }>;
      direct[c.key] = Object.fromEntries(series.map((s) => [s.metric.model ?? '', Number(s.value[1])]));
    }
    // The numbers are the seeded traffic's, not just any numbers.
    expect(direct.accuracy[traffic.model]).toBeCloseTo(traffic.correct / traffic.labeled, 12);
    expect(direct.errorRatio[traffic.model]).toBeCloseTo(traffic.secondBatch.errors / traffic.secondBatch.predictions, 12);
    expect(direct.predictionsPerSecond[traffic.model]).toBeGreaterThan(0);
    expect(direct.p95LatencySeconds[traffic.model]).toBeGreaterThan(0.1);
    expect(direct.p95LatencySeconds[traffic.model]).toBeLessThanOrEqual(0.25);
    // Only models that got labels have an accuracy: the seeded one and the labelled part of the triage fleet.
    expect(Object.keys(direct.accuracy).sort()).toEqual([FLEET.canary, traffic.model, FLEET.gate, FLEET.healthy].sort());

    const row = modelRow(traffic.model);
    const cells = (await row.locator('td').allTextContents()).slice(TRIAGE_COLUMNS.length);
    expect(cells).toEqual(LIVE_COLUMNS.map((c) => c.format(direct[c.key][traffic.model])));
    // A model without traffic has no series: dashes, not zeros.
    const quiet = (await modelRow('churn_model').locator('td').allTextContents()).slice(TRIAGE_COLUMNS.length);
    expect(quiet).toEqual(LIVE_COLUMNS.map(() => '—'));
    // Cropped to the list: this picture is also the README's.
    const list = await page.getByTestId(testIds.models.page).boundingBox();
    if (!list) throw new Error('models list not laid out');
    await page.screenshot({
      path: path.join(OUT, 'models-live.png'),
      clip: { x: 0, y: 0, width: page.viewportSize()?.width ?? 1400, height: Math.ceil(list.y + list.height + 16) },
    });
    await recordHtml('models with live metrics');
  });

  it('triage: worst first, states and reasons from the alert rules’ thresholds, alerts equal to ALERTS', async () => {
    // The rules evaluate every second with for: 0s; wait until the fleet's alerts are firing.
    const firing = (name: string, model: string) =>
      prometheus.scalar(`count(ALERTS{alertstate="firing",alertname="${name}",model="${model}"})`);
    for (const [name, model] of [
      ['ModelwatchAccuracyCollapse', FLEET.gate],
      ['ModelwatchFeatureDrift', FLEET.drift],
      ['ModelwatchAccuracyDrop', FLEET.canary],
    ] as const) {
      await until(`${name} firing for ${model}`, async () => ((await firing(name, model)) ?? 0) > 0 || undefined, {
        timeoutMs: 20_000,
        intervalMs: 250,
      });
    }
    const before = harness.dsQueries.length;
    await page.goto(`${harness.url}/a/modelwatch-app/models?from=now-1h&to=now`);
    await modelRow(FLEET.gate).getByTestId(testIds.models.health).waitFor();
    expect(harness.dsQueries.length).toBe(before + 1);
    const asked = harness.dsQueries[before];

    // Prometheus asked directly, at the instant Grafana evaluated the page's queries.
    const samples = {} as TriageSamples;
    for (const key of Object.keys(TRIAGE_QUERIES) as TriageQuery[]) {
      const r = await prometheus.query(TRIAGE_QUERIES[key], asked.evaluatedAtMs / 1000);
      expect(r.status).toBe('success');
      samples[key] = (r.data?.result as Array<{ metric: Record<string, string>; value: [number, string] }>)
        .map((x) => ({ labels: x.metric, value: Number(x.value[1]) }))
        .filter((x) => Number.isFinite(x.value));
    }
    const models = ((await exporter.api('GET', '/api/v1/models')).data as { models: Array<{ name: string }> }).models.map((m) => m.name);
    const expected = assessFleet(models, samples);

    // What the page shows, top to bottom.
    const marker = `[data-testid^="${testIds.models.row('')}"]`;
    const rows = page.locator('tr').filter({ has: page.locator(marker) });
    const shown: Array<{ model: string; state: string | null; reasons: string[]; alerts: string }> = [];
    for (const row of await rows.all()) {
      shown.push({
        model: ((await row.locator(marker).getAttribute('data-testid')) ?? '').slice(testIds.models.row('').length),
        state: await row.locator(marker).getAttribute('data-state'),
        reasons: (await row.getByTestId(testIds.models.reasons).locator('li').allTextContents()).map((t) => t.trim()),
        alerts: (await row.getByTestId(testIds.models.alerts).count())
          ? ((await row.getByTestId(testIds.models.alerts).textContent()) ?? '')
          : '',
      });
    }
    expect(shown.map((r) => r.model)).toEqual(expected.map((h) => h.model));
    expect(shown.map((r) => [r.model, r.state, r.reasons])).toEqual(expected.map((h) => [h.model, h.state, h.reasons.map((x) => x.text)]));

    // The fleet's stories, stated independently of the code under test.
    const state = Object.fromEntries(shown.map((r) => [r.model, r.state]));
    expect(state).toEqual({
      [FLEET.gate]: 'critical',
      [FLEET.drift]: 'critical',
      [FLEET.canary]: 'warning',
      fraud_detector: 'warning',
      [FLEET.quiet]: 'nodata',
      churn_model: 'nodata',
      [FLEET.healthy]: 'ok',
    });
    expect(shown.map((r) => r.state)).toEqual(['critical', 'critical', 'warning', 'warning', 'nodata', 'nodata', 'ok']);
    const reasons = Object.fromEntries(shown.map((r) => [r.model, r.reasons]));
    expect(reasons[FLEET.gate][0]).toBe('v1 accuracy 0.60 < 0.75 (validation 0.90 − 0.15), 70 labels');
    expect(reasons[FLEET.canary]).toContain('v2 accuracy 0.60 < 0.85 gate, 70 labels');
    expect(reasons[FLEET.drift][0]).toMatch(/^3 features drifting \(v1; worst \w+ PSI \d\.\d\d ≥ 0\.25\)$/);
    expect(reasons.fraud_detector).toContain('v1.1 errors 10.0% > 5.0%');
    expect(reasons[FLEET.quiet]).toEqual(['no predictions in the window']);
    expect(reasons[FLEET.healthy]).toEqual([]);
    // The canary, not the healthy production version, is the one named; half the traffic.
    const canaryRow = modelRow(FLEET.canary);
    expect((await canaryRow.getByTestId(testIds.models.worstVersion).textContent())?.replace(/\s+/g, ' ')).toBe('2 staging50% of traffic');

    // Firing alerts shown per model are exactly Prometheus's ALERTS at that instant.
    const alerts = samples.alerts;
    for (const row of shown) {
      const own = alerts
        .filter((a) => a.labels.model === row.model)
        .map(alertText)
        .sort()
        .join(', ');
      expect([row.model, row.alerts]).toEqual([row.model, own]);
    }
    expect(alerts.some((a) => a.labels.model === FLEET.gate && a.labels.alertname === 'ModelwatchAccuracyCollapse')).toBe(true);

    // Links: the model page, and the model-detail dashboard with the model and the time range.
    const gateRow = modelRow(FLEET.gate);
    expect(await gateRow.getByRole('link', { name: FLEET.gate }).getAttribute('href')).toBe(`/a/modelwatch-app/models/${FLEET.gate}`);
    const dash = new URL((await gateRow.getByTestId(testIds.models.dashboardLink).getAttribute('href')) ?? '', harness.url);
    expect(dash.pathname).toBe('/d/modelwatch-model-detail');
    expect(Object.fromEntries(dash.searchParams)).toEqual({ 'var-model': FLEET.gate, from: 'now-1h', to: 'now' });

    const list = await page.getByTestId(testIds.models.page).boundingBox();
    if (!list) throw new Error('models list not laid out');
    await page.screenshot({
      path: path.join(OUT, 'models-triage.png'),
      clip: { x: 0, y: 0, width: page.viewportSize()?.width ?? 1400, height: Math.ceil(list.y + list.height + 16) },
    });
    await recordHtml('models triage');
  });

  it('model page: incident charts equal Prometheus query_range, with registry events, alerts and what changed', async () => {
    harness.setDatasources([promDatasource]);
    const model = FLEET.canary;
    // The canary's accuracy alert fires (rules evaluate every second with for: 0s).
    await until(
      'ModelwatchAccuracyDrop firing for the canary',
      async () =>
        ((await prometheus.scalar(`count(ALERTS{alertstate="firing",alertname="ModelwatchAccuracyDrop",model="${model}"})`)) ?? 0) > 0 ||
        undefined,
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    // A couple more rule evaluations, so the alert has points up to the range end (it still fires).
    await new Promise((r) => setTimeout(r, 2000));
    const toMs = Date.now();
    const fromMs = seededAtMs;
    const before = harness.dsQueries.length;
    const answered = page.waitForResponse((r) => r.url() === `${harness.url}/api/ds/query` && r.request().method() === 'POST');
    await page.goto(`${harness.url}/a/modelwatch-app/models/${model}?from=${fromMs}&to=${toMs}`);
    const response = (await (await answered).json()) as {
      results: Record<
        string,
        { frames: Array<{ schema: { fields: Array<{ labels?: Record<string, string> }> }; data: { values: unknown[][] } }> }
      >;
    };
    const charts = incidentCharts(model);
    try {
      for (const spec of charts)
        await page
          .getByTestId(testIds.incident.chart(spec.id))
          .locator(`canvas, [data-testid="${testIds.incident.noData}"]`)
          .first()
          .waitFor();
    } catch (err) {
      await shot('incident-view-failed');
      const errors = seen.filter((x) => x.what === 'pageerror' || x.what === 'console error').map((x) => x.text);
      throw new Error(`${String(err)}\npage errors:\n${errors.join('\n').slice(0, 4000)}`);
    }
    await page.getByTestId(testIds.incident.annotation).first().waitFor({ state: 'attached' });

    // One request, every chart's query plus ALERTS, all range queries over the URL's time range.
    const asked = harness.dsQueries[before];
    expect(asked.status).toBe(200);
    const exprs = Object.fromEntries(charts.flatMap((c) => c.queries.map((q) => [q.refId, q.expr])));
    expect(Object.fromEntries(asked.queries.map((q) => [q.refId, q.expr]))).toEqual({ alerts: alertsQuery(model), ...exprs });
    expect(Object.values(asked.asked).every((a) => a.api === 'query_range')).toBe(true);
    expect(Number(asked.asked.acc.params.end)).toBeLessThanOrEqual(toMs / 1000);
    expect(Number(asked.asked.acc.params.start)).toBeGreaterThan(fromMs / 1000 - Number(asked.asked.acc.params.step));

    // Prometheus asked directly, with the same start, end and step.
    const direct: Record<string, Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> = {};
    for (const refId of Object.keys(exprs)) {
      const { start, end, step } = asked.asked[refId].params;
      const r = await prometheus.queryRange(exprs[refId], Number(start), Number(end), Number(step));
      expect(r.status).toBe('success');
      direct[refId] = r.data?.result as (typeof direct)[string];
    }
    // The canary's story is in the data: v2's accuracy is 0.60 on 70 labels, v1's 0.95.
    const lastOf = (refId: string, version: string) => {
      const values = direct[refId].find((x) => x.metric.version === version)?.values ?? [];
      return Number(values[values.length - 1]?.[1]);
    };
    expect(lastOf('acc', '2')).toBeCloseTo(0.6, 12);
    expect(lastOf('labeled', '2')).toBe(70);

    // Every point Grafana's API handed the page is Prometheus's point (null where Prometheus says NaN).
    for (const refId of Object.keys(exprs)) {
      const got = response.results[refId].frames
        .filter((f) => f.schema.fields.length > 1)
        .map((f) => ({ labels: f.schema.fields[1].labels, points: f.data.values[0].map((t, i) => [t, f.data.values[1][i]]) }));
      const want = direct[refId].map((x) => ({
        labels: x.metric,
        points: x.values.map(([t, v]) => [Math.round(t * 1000), Number.isFinite(Number(v)) ? Number(v) : null]),
      }));
      expect([refId, got]).toEqual([refId, want]);
    }

    // What each chart's legend shows (name, last, min, max) is the direct answer's, within the
    // rounding of the printed digits.
    for (const spec of charts) {
      const expected = new Map<string, number[]>();
      for (const q of spec.queries) {
        for (const x of direct[q.refId]) {
          const values = x.values.map(([, v]) => Number(v)).filter((v) => Number.isFinite(v));
          if (values.length)
            expected.set(legendName(q.legend, x.metric), [values[values.length - 1], Math.min(...values), Math.max(...values)]);
        }
      }
      const rows = page.getByTestId(testIds.incident.chart(spec.id)).locator('table tbody tr');
      const shown = new Map<string, string[]>();
      for (const row of await rows.all()) {
        const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
        shown.set(cells[1], cells.slice(2));
      }
      expect([spec.id, [...shown.keys()].sort()]).toEqual([spec.id, [...expected.keys()].sort()]);
      for (const [name, want] of expected) {
        const got = shown.get(name) ?? [];
        expect([spec.id, name, got, want.map((v, i) => shows(got[i] ?? '', v))]).toEqual([spec.id, name, got, [true, true, true]]);
      }
    }

    // Annotations: the registry's stage moves in the range, and one marker per alert period.
    const transitions = (
      (await exporter.api('GET', `/api/v1/models/${model}/transitions`)).data as { transitions: Array<{ at: string; kind: string }> }
    ).transitions.filter((t) => Date.parse(t.at) >= fromMs && Date.parse(t.at) <= toMs);
    expect(transitions.length).toBe(3);
    const accuracyChart = page.getByTestId(testIds.incident.chart('accuracy'));
    const kinds = await accuracyChart
      .getByTestId(testIds.incident.annotation)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.filter((k) => k === 'transition').length).toBe(transitions.length);

    // Alerts shown as firing are Prometheus's firing ALERTS of the model at the range's end.
    const firingNow = (await prometheus.query(`ALERTS{model="${model}",alertstate="firing"}`, Number(asked.asked.alerts.params.end))).data
      ?.result as Array<{ metric: Record<string, string> }>;
    expect(firingNow.length).toBeGreaterThan(0);
    const alertRows = page.getByTestId(testIds.incident.alerts).locator('tbody tr');
    const firingShown: string[] = [];
    for (const row of await alertRows.all()) {
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      if (cells[0] === 'firing') firingShown.push(`${cells[1]} ${cells[2]}`);
    }
    expect(firingShown.sort()).toEqual(firingNow.map((a) => `${a.metric.alertname} ${a.metric.version ?? ''}`.trim()).sort());
    expect(kinds.filter((k) => k === 'alert').length).toBeGreaterThanOrEqual(firingNow.length);

    // What changed: the model's audit entries in words, newest first.
    const audit = ((await exporter.api('GET', `/api/v1/audit?model=${model}&limit=500`)).data as ApiListAudit).entries.map(toAuditEntry);
    const expectedChanges = audit
      .filter((e) => Date.parse(e.at) >= fromMs - 3_600_000 && Date.parse(e.at) <= toMs && describeChange(e) !== null)
      .map((e) => describeChange(e));
    const changeRows = page.getByTestId(testIds.incident.changes).locator('tbody tr');
    const changesShown: string[] = [];
    for (const row of await changeRows.all()) changesShown.push(((await row.locator('td').allTextContents())[1] ?? '').trim());
    expect(changesShown).toEqual(expectedChanges);
    expect(changesShown).toEqual(expect.arrayContaining(['v2 moved to staging', 'v1 moved to production', 'v2 registered']));
    // The canary's reference upload (harness/fleet.ts) is a change: its row is its audit entry, cell
    // by cell, and it is marked on the charts like the stage moves.
    const uploads = audit.filter((e) => e.action === 'version.reference' && Date.parse(e.at) >= fromMs && Date.parse(e.at) <= toMs);
    expect(uploads.map((e) => [e.version, e.actor, e.before, e.after])).toEqual([
      [
        '2',
        'token:model-server',
        null,
        { features: 1, dropped_features: 0, samples: 70, profile_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    ]);
    const uploadRow = changeRows.nth(changesShown.indexOf('v2 reference sample uploaded (1 feature, 70 samples)'));
    expect((await uploadRow.locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      // dateTimeFormat's default 'YYYY-MM-DD HH:mm:ss' (@grafana/data datetime/formats.ts) in the
      // harness user's timezone, utc (boot data); @grafana/data itself needs a window to load
      new Date(Date.parse(uploads[0].at)).toISOString().slice(0, 19).replace('T', ' '),
      describeChange(uploads[0]),
      uploads[0].actor,
      uploads[0].reason ?? '',
    ]);
    expect(kinds.filter((k) => k === 'reference').length).toBe(uploads.length);

    // The incident view alone: this picture is also the README's.
    await page.getByTestId(testIds.incident.view).screenshot({ path: path.join(OUT, 'incident-view.png') });
    await recordHtml('incident view');
  });

  it('refuses 1.0 -> production on the accuracy gate and lists the failure', async () => {
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector`);
    await page.getByTestId(testIds.model.promote('1.0')).click();
    await page.getByTestId(testIds.promote.stage).getByRole('radio', { name: 'production' }).check();
    await page.getByTestId(testIds.promote.reason).fill('first release from the browser');
    await page.getByTestId(testIds.promote.submit).click();
    const failures = page.getByTestId(testIds.promote.gateFailures);
    await failures.waitFor();
    const items = await failures.locator('li').allTextContents();
    expect(items).toEqual([expect.stringMatching(/min_accuracy accuracy: 0\.82 — needs at least 0\.85/)]);
    await shot('gate-failure');
    await recordHtml('gate failure');
    await page.getByRole('button', { name: 'Cancel' }).click();
    const v = await exporter.api('GET', '/api/v1/models/fraud_detector');
    expect((v.data as { production_version: string }).production_version).toBe('1.1');
  });

  it('promotes 1.3 to production', async () => {
    await page.getByTestId(testIds.model.promote('1.3')).click();
    await page.getByTestId(testIds.promote.stage).getByRole('radio', { name: 'production' }).check();
    await page.getByTestId(testIds.promote.reason).fill('better accuracy and latency');
    await page.getByTestId(testIds.promote.submit).click();
    await page.getByTestId('mw-action-done').filter({ hasText: 'fraud_detector 1.3 moved to production' }).waitFor();
    await page.getByTestId(testIds.model.rollback).filter({ hasText: 'Roll back 1.3' }).waitFor();
    const m = await exporter.api('GET', '/api/v1/models/fraud_detector');
    expect((m.data as { production_version: string }).production_version).toBe('1.3');
  });

  it('rolls back after a confirmation naming both versions, and the registry changes', async () => {
    await page.getByTestId(testIds.model.rollback).click();
    const dialog = page.getByTestId(testIds.rollback.dialog);
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('fraud_detector 1.1 returns to production and fraud_detector 1.3 is archived');
    // Live numbers of both versions, equal to Prometheus at the instant Grafana evaluated them.
    const live = page.getByTestId(testIds.rollback.live);
    await live.waitFor();
    const queries = versionNumberQueries('fraud_detector');
    const asked = harness.dsQueries.filter((q) => q.queries.some((x) => x.refId === 'p95LatencySeconds')).pop();
    if (!asked) throw new Error('the dialog asked Grafana nothing');
    expect(Object.fromEntries(asked.queries.map((q) => [q.refId, q.expr]))).toEqual(queries);
    for (const row of ROLLBACK_ROWS) {
      const r = await prometheus.query(queries[row.key], asked.evaluatedAtMs / 1000);
      const byVersion = Object.fromEntries(
        (r.data?.result as Array<{ metric: { version: string }; value: [number, string] }>)
          .map((x) => [x.metric.version, Number(x.value[1])] as const)
          .filter(([, v]) => Number.isFinite(v)),
      );
      const cells = (await live.locator(`tr[data-row="${row.key}"] td`).allTextContents()).map((t) => t.trim());
      expect([row.key, cells, shows(cells[0], byVersion['1.3']), shows(cells[1], byVersion['1.1'])]).toEqual([row.key, cells, true, true]);
    }
    // 1.1 carries the seeded traffic: its accuracy and label count are the traffic's.
    const accuracyCells = (await live.locator('tr[data-row="accuracy"] td').allTextContents()).map((t) => t.trim());
    expect(shows(accuracyCells[1], traffic.correct / traffic.labeled)).toBe(true);
    expect(shows((await live.locator('tr[data-row="labeled"] td').allTextContents())[1], traffic.labeled)).toBe(true);
    await page.getByTestId(testIds.rollback.reason).fill('p95 latency alert at 3 a.m.');
    await shot('rollback-dialog');
    await page.getByTestId(testIds.rollback.confirm).click();
    await page.getByTestId('mw-action-done').filter({ hasText: '1.1 is in production, 1.3 archived' }).waitFor();
    await page.getByTestId(testIds.model.rollback).filter({ hasText: 'Roll back 1.1' }).waitFor();
    await shot('model-page');
    await recordHtml('model page after rollback');

    const model = (await exporter.api('GET', '/api/v1/models/fraud_detector')).data as { production_version: string };
    expect(model.production_version).toBe('1.1');
    const versions = (
      (await exporter.api('GET', '/api/v1/models/fraud_detector/versions')).data as { versions: Array<{ version: string; stage: string }> }
    ).versions;
    expect(Object.fromEntries(versions.map((v) => [v.version, v.stage]))).toEqual({
      '1.0': 'staging',
      '1.1': 'production',
      '1.3': 'archived',
    });
    const transitions = (
      (await exporter.api('GET', '/api/v1/models/fraud_detector/transitions')).data as {
        transitions: Array<{ kind: string; reason: string; actor: string }>;
      }
    ).transitions;
    const rollback = transitions.filter((t) => t.kind === 'rollback');
    expect(rollback.length).toBeGreaterThan(0);
    expect(rollback.every((t) => t.reason === 'p95 latency alert at 3 a.m.')).toBe(true);
    // Done with the operator token Grafana holds, not the admin token that seeded.
    // ...and audited under the signed-in Editor's login, forwarded by the proxy as X-Grafana-User.
    const grafanaTokenId = /^mw_([a-z0-9]{12})_/.exec(token)?.[1];
    expect(rollback[0].actor).toBe(`grafana:editor via token:grafana (${grafanaTokenId})`);
    const audit = (await exporter.api('GET', '/api/v1/audit?model=fraud_detector&limit=1')).data as {
      entries: Array<{ actor: string; action: string }>;
    };
    expect(audit.entries[0]).toMatchObject({ actor: `grafana:editor via token:grafana (${grafanaTokenId})` });
  });

  it('shows the transition history and an intact audit chain', async () => {
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector/transitions`);
    const items = page.getByTestId(testIds.transitions.item);
    await items.first().waitFor();
    expect(await items.first().textContent()).toContain('p95 latency alert at 3 a.m.');
    await shot('transitions');
    await page.goto(`${harness.url}/a/modelwatch-app/audit`);
    const verify = page.getByTestId(testIds.audit.verify);
    await verify.waitFor();
    expect(await verify.textContent()).toContain('Audit chain verified');
    await page.getByTestId(testIds.audit.row).first().waitFor();
    const audit = await page.getByTestId(testIds.audit.page).textContent();
    // The reasons typed in the browser are in the tamper-evident log.
    expect(audit).toContain('better accuracy and latency');
    expect(audit).toContain('p95 latency alert at 3 a.m.');
    await shot('audit');
    await recordHtml('audit');
  });

  it('archives a model as a signed-in Editor: refused with the exporter’s 409 while in production, then audited under that user', async () => {
    const grafanaTokenId = /^mw_([a-z0-9]{12})_/.exec(token)?.[1];
    const dialog = page.getByRole('dialog');
    // fraud_detector has 1.1 in production: the exporter refuses, and the dialog says why.
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector`);
    await page.getByTestId(testIds.retire.archive).click();
    expect(await dialog.textContent()).toContain('Archive model fraud_detector?');
    await page.getByTestId(testIds.retire.reason).fill('retire the old scorer');
    await dialog.getByRole('button', { name: 'Archive model' }).click();
    const refusal = dialog.getByTestId(testIds.error);
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('HTTP 409');
    expect(await refusal.textContent()).toContain('cannot archive fraud_detector: 1.1 is in production');
    await shot('archive-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(((await exporter.api('GET', '/api/v1/models/fraud_detector')).data as { archived_at: string | null }).archived_at).toBeNull();

    // churn_model has nothing in production: archived, audited under the Editor's login.
    await page.goto(`${harness.url}/a/modelwatch-app/models/churn_model`);
    await page.getByTestId(testIds.retire.archive).click();
    expect(await dialog.textContent()).toContain('Every version of churn_model moves to archived');
    await page.getByTestId(testIds.retire.reason).fill('replaced by churn_v2');
    await dialog.getByRole('button', { name: 'Archive model' }).click();
    await page
      .getByTestId('mw-action-done')
      .filter({ hasText: 'churn_model archived; versions archived: 2.0 (was development)' })
      .waitFor();
    await page.getByTestId(testIds.retire.archivedNotice).waitFor();
    expect(await page.getByTestId(testIds.retire.archive).count()).toBe(0);
    const model = (await exporter.api('GET', '/api/v1/models/churn_model')).data as { archived_at: string | null };
    expect(model.archived_at).not.toBeNull();
    const audit = (await exporter.api('GET', '/api/v1/audit?model=churn_model&limit=1')).data as {
      entries: Array<{ actor: string; action: string; reason?: string }>;
    };
    expect(audit.entries[0]).toMatchObject({ action: 'model.archive', actor: `grafana:editor via token:grafana (${grafanaTokenId})` });

    // The list hides it as GET /models does, and shows it marked when archived models are shown.
    await page.goto(`${harness.url}/a/modelwatch-app/models`);
    await page.getByTestId(testIds.models.row('fraud_detector')).waitFor();
    expect(await page.getByTestId(testIds.models.row('churn_model')).count()).toBe(0);
    await page.getByTestId(testIds.retire.showArchived).click({ force: true });
    const archivedRow = page.getByTestId(testIds.models.row('churn_model'));
    await archivedRow.waitFor();
    expect(await archivedRow.getByTestId(testIds.retire.archivedTag).textContent()).toContain('archived');
    // An Editor is not offered Delete: it is the exporter's admin action.
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector`);
    await page.getByTestId(testIds.retire.archive).waitFor();
    expect(await page.getByTestId(testIds.retire.delete).count()).toBe(0);
  });

  it('the config page shows the token only as configured', async () => {
    harness.setRole('Admin');
    harness.setDatasources([promDatasource]);
    await page.goto(`${harness.url}/plugins/modelwatch-app`);
    await page
      .getByTestId(testIds.config.tokenConfigured)
      .waitFor()
      .catch(async (err: unknown) => {
        await shot('config-failed');
        throw new Error(
          `${String(err)}\n${seen
            .filter((x) => x.what === 'pageerror')
            .map((x) => x.text)
            .join('\n')
            .slice(0, 3000)}`,
        );
      });
    expect(await page.getByTestId(testIds.config.token).inputValue()).toBe('configured');
    expect(await page.getByTestId(testIds.config.url).inputValue()).toBe(exporter.url);
    // The datasource is chosen with Grafana's DataSourcePicker, from the Prometheus datasources in bootData.
    await page.getByTestId(testIds.config.prometheus).getByLabel('Select a data source').click();
    const options = page.getByRole('option');
    await options.first().waitFor();
    // Grafana's picker marks the default datasource as such.
    expect((await options.allTextContents()).map((t) => t.trim())).toEqual([`${promDatasource.name} (default)`]);
    await page.keyboard.press('Escape');
    await shot('config');
    await recordHtml('config');
  });

  it('an Admin is offered Delete behind the typed model name; the exporter refuses it to the operator token (403) and nothing is deleted', async () => {
    harness.setRole('Admin');
    await page.goto(`${harness.url}/a/modelwatch-app/models/churn_model`);
    await page.getByTestId(testIds.retire.delete).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Delete model churn_model?');
    await page.getByTestId(testIds.retire.reason).fill('created by mistake');
    const confirm = dialog.getByRole('button', { name: 'Delete model' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByPlaceholder('Type "churn_model" to confirm').fill('churn_model');
    await confirm.click();
    const refusal = dialog.getByTestId(testIds.error);
    await refusal.waitFor();
    // The DELETE route (reqRole Admin) let it through; the exporter's own RBAC refused the operator token.
    expect(await refusal.textContent()).toContain('HTTP 403');
    expect(
      harness.proxied.some((p) => p.method === 'DELETE' && p.url.includes('/api/v1/models/churn_model?reason=') && p.status === 403),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await exporter.api('GET', '/api/v1/models/churn_model')).status).toBe(200);
  });

  it('a Viewer sees no actions, and the proxy refuses a Viewer POST', async () => {
    harness.setRole('Viewer');
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector`);
    await page.getByTestId(testIds.model.versionRow('1.1')).waitFor();
    expect(await page.getByTestId(testIds.model.rollback).count()).toBe(0);
    expect(await page.getByTestId(testIds.model.promote('1.0')).count()).toBe(0);
    expect(await page.getByTestId(testIds.retire.archive).count()).toBe(0);
    expect(await page.getByTestId(testIds.retire.delete).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/plugin-proxy/modelwatch-app/exporter/api/v1/models/fraud_detector/rollback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'viewer tries' }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    // ...and a Viewer's (or Editor's) DELETE: the route needs Admin.
    const deleteStatus = await page.evaluate(async () => {
      const res = await fetch('/api/plugin-proxy/modelwatch-app/exporter/api/v1/models/churn_model?reason=viewer', { method: 'DELETE' });
      return res.status;
    });
    expect(deleteStatus).toBe(403);
    expect((await exporter.api('GET', '/api/v1/models/churn_model')).status).toBe(200);
    const model = (await exporter.api('GET', '/api/v1/models/fraud_detector')).data as { production_version: string };
    expect(model.production_version).toBe('1.1');
  });

  it('never let the token reach the browser: no page, request, response or boot setting holds it', async () => {
    seen.push({
      what: 'grafanaBootData',
      text: await page.evaluate(() => JSON.stringify((window as unknown as { grafanaBootData: unknown }).grafanaBootData)),
    });
    seen.push({ what: 'localStorage', text: await page.evaluate(() => JSON.stringify({ ...window.localStorage })) });
    seen.push({ what: 'cookies', text: JSON.stringify(await context.cookies()) });
    const requests = seen.filter((s) => s.what.startsWith('request '));
    // The check saw real traffic: the proxy calls and the settings read.
    expect(requests.some((s) => s.what.includes('/api/plugin-proxy/modelwatch-app/exporter/api/v1/models'))).toBe(true);
    expect(requests.some((s) => s.what.includes('/api/plugins/modelwatch-app/settings'))).toBe(true);
    // ...and the datasource path: the live-metrics queries and their answers were checked too.
    expect(requests.some((s) => s.what === 'request POST ' + `${harness.url}/api/ds/query`)).toBe(true);
    expect(seen.some((s) => s.what === `response ${harness.url}/api/ds/query` && s.text.includes('"frames"'))).toBe(true);
    expect(harness.proxied.some((p) => p.method === 'POST' && p.url.endsWith('/rollback') && p.status === 200)).toBe(true);
    const secrets = [token, exporter.adminToken!, traffic.ingestToken];
    const leaks = seen.filter((s) => secrets.some((secret) => s.text.includes(secret))).map((s) => s.what);
    expect(leaks).toEqual([]);
  });

  it('drew every picture the READMEs show (MODELWATCH_UPDATE_SCREENSHOTS=1 copies them to docs/images)', () => {
    const drawn = Object.fromEntries(README_PICTURES.map((f) => [path.join(OUT, f), `grafana-plugin/docs/images/${f}`]));
    for (const f of Object.keys(drawn)) expect(fs.statSync(f).mtimeMs).toBeGreaterThanOrEqual(SUITE_STARTED_MS);
    publishReadmePictures(drawn, SUITE_STARTED_MS);
  });
});
