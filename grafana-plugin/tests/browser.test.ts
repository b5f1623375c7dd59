import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExporter, startPrometheus, type RunningExporter, type RunningPrometheus } from '@modelwatch/test-support';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HarnessDatasource } from '../harness/datasources';
import { seedRegistry } from '../harness/seed';
import { startHarness, type RunningHarness } from '../harness/server';
import { seedLiveTraffic, type LiveTraffic } from '../harness/traffic';
import { LIVE_QUERIES } from '../src/api/liveQueries';
import { LIVE_COLUMNS } from '../src/components/LiveMetrics/liveColumns';
import { testIds } from '../src/constants';

/**
 * The built plugin in Chromium, against a real exporter through the harness's copy of
 * Grafana's plugin proxy: list, live metrics from a real Prometheus through /api/ds/query, gate
 * refusal, promotion, rollback, audit — and the token never reaching the browser.
 */
jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'test-output');

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
  let prometheusStarting: Promise<RunningPrometheus> | undefined;
  let traffic: LiveTraffic;
  let promDatasource: HarnessDatasource;
  let harness: RunningHarness;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let userDataDir: string;
  const seen: Seen[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  const recordHtml = async (what: string) => seen.push({ what: `html ${what}`, text: await page.content() });

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    exporter = await startExporter();
    // Prometheus picks up its first target ~5 s after start: start it while the registry is seeded.
    prometheusStarting = startPrometheus({ targets: [new URL(exporter.url).host] });
    token = (await seedRegistry(exporter)).operatorToken;
    prometheus = await prometheusStarting;
    traffic = await seedLiveTraffic(exporter, prometheus);
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
    page.setDefaultTimeout(20_000);
    // Everything the browser sends and receives, for the token checks at the end.
    context.on('request', (req) => {
      void req
        .allHeaders()
        .then((h) =>
          seen.push({ what: `request ${req.method()} ${req.url()}`, text: `${req.url()}\n${JSON.stringify(h)}\n${req.postData() ?? ''}` }),
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
    await prometheusStarting?.then(
      (p) => p.stop(),
      () => {},
    );
    await exporter?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('lists models with the production version and filters by search', async () => {
    await page.goto(`${harness.url}/a/modelwatch-app/models`);
    const row = page.getByTestId(testIds.models.row('fraud_detector'));
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
    expect(headers).toEqual(['Model', 'Team', 'Production', ...LIVE_COLUMNS.map((c) => c.title)]);

    // What the page asked Grafana: the plugin's queries, all against the Prometheus datasource.
    expect(harness.dsQueries).toHaveLength(1);
    const asked = harness.dsQueries[0];
    expect(asked.status).toBe(200);
    expect(Object.fromEntries(asked.queries.map((q) => [q.refId, q.expr]))).toEqual(LIVE_QUERIES);
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
    expect(Object.keys(direct.accuracy)).toEqual([traffic.model]);

    const row = page.getByTestId(testIds.models.row(traffic.model));
    const cells = (await row.locator('td').allTextContents()).slice(3);
    expect(cells).toEqual(LIVE_COLUMNS.map((c) => c.format(direct[c.key][traffic.model])));
    // A model without traffic has no series: dashes, not zeros.
    const quiet = (await page.getByTestId(testIds.models.row('churn_model')).locator('td').allTextContents()).slice(3);
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
    expect(rollback[0].actor).toContain('grafana');
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

  it('the config page shows the token only as configured', async () => {
    harness.setRole('Admin');
    await page.goto(`${harness.url}/plugins/modelwatch-app`);
    await page.getByTestId(testIds.config.tokenConfigured).waitFor();
    expect(await page.getByTestId(testIds.config.token).inputValue()).toBe('configured');
    expect(await page.getByTestId(testIds.config.url).inputValue()).toBe(exporter.url);
    await shot('config');
    await recordHtml('config');
  });

  it('a Viewer sees no actions, and the proxy refuses a Viewer POST', async () => {
    harness.setRole('Viewer');
    await page.goto(`${harness.url}/a/modelwatch-app/models/fraud_detector`);
    await page.getByTestId(testIds.model.versionRow('1.1')).waitFor();
    expect(await page.getByTestId(testIds.model.rollback).count()).toBe(0);
    expect(await page.getByTestId(testIds.model.promote('1.0')).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/plugin-proxy/modelwatch-app/exporter/api/v1/models/fraud_detector/rollback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'viewer tries' }),
      });
      return res.status;
    });
    expect(status).toBe(403);
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
});
