import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startExporter, type RunningExporter } from '../harness/exporter';
import { seedRegistry } from '../harness/seed';
import { startHarness, type RunningHarness } from '../harness/server';
import { testIds } from '../src/constants';

/**
 * The built plugin in Chromium, against a real exporter through the harness's copy of
 * Grafana's plugin proxy: list, gate refusal, promotion, rollback, audit — and the token
 * never reaching the browser.
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
    token = (await seedRegistry(exporter)).operatorToken;
    harness = await startHarness({
      pluginDist: path.join(ROOT, 'dist'),
      hostDist: path.join(ROOT, 'harness', 'dist'),
      settings: { jsonData: { exporterUrl: exporter.url }, secureJsonData: { exporterToken: token } },
      role: 'Editor',
    });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    // Everything the browser sends and receives, for the token checks at the end.
    context.on('request', (req) => {
      void req.allHeaders().then((h) => seen.push({ what: `request ${req.method()} ${req.url()}`, text: `${req.url()}\n${JSON.stringify(h)}\n${req.postData() ?? ''}` }));
    });
    context.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      if (/json|html|text/.test(type)) void res.text().then((t) => seen.push({ what: `response ${res.url()}`, text: t }), () => {});
    });
  });

  afterAll(async () => {
    await context?.close();
    await harness?.close();
    await exporter?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('lists models with the production version and filters by search', async () => {
    await page.goto(`${harness.url}/a/modelwatch-app/models`);
    const row = page.getByTestId(testIds.models.row('fraud_detector'));
    await row.waitFor();
    expect(await row.textContent()).toContain('1.1');
    await page.getByTestId(testIds.models.liveMetrics).waitFor();
    await shot('models');
    await recordHtml('models');
    await page.getByTestId(testIds.models.search).fill('growth');
    await page.getByTestId(testIds.models.row('fraud_detector')).waitFor({ state: 'detached' });
    expect(await page.getByTestId(testIds.models.row('churn_model')).isVisible()).toBe(true);
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
    const versions = ((await exporter.api('GET', '/api/v1/models/fraud_detector/versions')).data as { versions: Array<{ version: string; stage: string }> }).versions;
    expect(Object.fromEntries(versions.map((v) => [v.version, v.stage]))).toEqual({ '1.0': 'staging', '1.1': 'production', '1.3': 'archived' });
    const transitions = ((await exporter.api('GET', '/api/v1/models/fraud_detector/transitions')).data as { transitions: Array<{ kind: string; reason: string; actor: string }> }).transitions;
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
    seen.push({ what: 'grafanaBootData', text: await page.evaluate(() => JSON.stringify((window as unknown as { grafanaBootData: unknown }).grafanaBootData)) });
    seen.push({ what: 'localStorage', text: await page.evaluate(() => JSON.stringify({ ...window.localStorage })) });
    seen.push({ what: 'cookies', text: JSON.stringify(await context.cookies()) });
    const requests = seen.filter((s) => s.what.startsWith('request '));
    // The check saw real traffic: the proxy calls and the settings read.
    expect(requests.some((s) => s.what.includes('/api/plugin-proxy/modelwatch-app/exporter/api/v1/models'))).toBe(true);
    expect(requests.some((s) => s.what.includes('/api/plugins/modelwatch-app/settings'))).toBe(true);
    expect(harness.proxied.some((p) => p.method === 'POST' && p.url.endsWith('/rollback') && p.status === 200)).toBe(true);
    const leaks = seen.filter((s) => s.text.includes(token) || s.text.includes(exporter.adminToken)).map((s) => s.what);
    expect(leaks).toEqual([]);
  });
});
