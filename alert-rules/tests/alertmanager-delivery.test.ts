/**
 * The real Alertmanager running provisioning/alertmanager/alertmanager.yml: a rollback alert reaches
 * the exporter's webhook with the bearer token from the credentials file, and inhibition hides
 * warnings under their critical. Only the webhook URL and the token path are pointed at this test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shippedAlertmanagerConfig, startAlertmanager, until, type RunningAlertmanager } from '@modelwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERTMANAGER, ALERTMANAGER_CONFIG, requireBinary } from './helpers/tools.js';

requireBinary(ALERTMANAGER, 'prometheus-alertmanager');

interface WebhookConfig {
  url: string;
  send_resolved: boolean;
  http_config: { authorization: { type: string; credentials_file: string } };
}
interface Receiver {
  name: string;
  webhook_configs?: WebhookConfig[];
}
interface Delivery {
  headers: IncomingHttpHeaders;
  body: { receiver: string; status: string; alerts: { status: string; labels: Record<string, string> }[] };
}
interface ApiAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

const TOKEN = 'mw_test_webhook_token_0123456789abcdef';
const deliveries: Delivery[] = [];
let webhook: Server;
let am: RunningAlertmanager | undefined;
let amUrl: string;
let dir: string;
/** Waits up to 20 s, failing with the Alertmanager log. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
  until(what, probe, { timeoutMs: 20_000, intervalMs: 200, child: am?.child });

const rollbackAlert = {
  alertname: 'ModelwatchAccuracyCollapse',
  action: 'rollback',
  severity: 'critical',
  model: 'credit',
  version: 'v7',
  team: 'risk',
};
const accuracyDrop = { alertname: 'ModelwatchAccuracyDrop', severity: 'warning', model: 'credit', version: 'v7', team: 'risk' };
const driftWarning = {
  alertname: 'ModelwatchFeatureDrift',
  severity: 'warning',
  model: 'churn',
  version: 'v1',
  feature: 'income',
  team: 'growth',
};
const driftCritical = { ...driftWarning, severity: 'critical' };
const otherFeatureWarning = { ...driftWarning, feature: 'age' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'modelwatch-am-'));
  webhook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: JSON.parse(text) as Delivery['body'] });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const hookPort = (webhook.address() as AddressInfo).port;

  const cfg = parse(readFileSync(ALERTMANAGER_CONFIG, 'utf8')) as { receivers: Receiver[] };
  const hook = cfg.receivers.find((r) => r.name === 'exporter-rollback')?.webhook_configs?.[0];
  if (hook === undefined) throw new Error('alertmanager.yml has no exporter-rollback webhook');
  // What docker-compose relies on, checked before the test re-points them.
  expect(hook.url).toBe('http://exporter:9400/api/v1/alertmanager/webhook');
  expect(hook.http_config.authorization.type).toBe('Bearer');
  expect(hook.http_config.authorization.credentials_file).toBe('/etc/alertmanager/secrets/exporter-webhook-token');
  writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(path.join(dir, 'alertmanager.yml'), shippedAlertmanagerConfig(`http://127.0.0.1:${hookPort}`, path.join(dir, 'token')));

  am = await startAlertmanager(path.join(dir, 'alertmanager.yml'));
  amUrl = am.url;

  const alerts = [rollbackAlert, accuracyDrop, driftWarning, driftCritical, otherFeatureWarning].map((labels) => ({
    labels,
    annotations: { summary: 'test' },
    startsAt: new Date().toISOString(),
  }));
  const res = await fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await am?.stop();
  await new Promise<void>((resolve) => webhook?.close(() => resolve()) ?? resolve());
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Alertmanager with modelwatch routing', () => {
  it('posts the rollback alert to the exporter webhook with the bearer token', async () => {
    const delivery = await waitFor('a webhook delivery', async () => deliveries[0]);
    expect(delivery.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(delivery.body.receiver).toBe('exporter-rollback');
    expect(delivery.body.status).toBe('firing');
    expect(delivery.body.alerts.map((a) => a.labels)).toEqual([rollbackAlert]);
  });

  it('inhibits warnings under their critical, and only those', async () => {
    const byKey = await waitFor('inhibition marks', async () => {
      const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as ApiAlert[];
      const map = new Map(list.map((a) => [`${a.labels.alertname}/${a.labels.severity}/${a.labels.feature ?? ''}`, a]));
      return map.get('ModelwatchFeatureDrift/warning/income')?.status.state === 'suppressed' ? map : undefined;
    });
    expect(byKey.get('ModelwatchFeatureDrift/warning/income')!.status.inhibitedBy.length).toBe(1);
    expect(byKey.get('ModelwatchAccuracyDrop/warning/')!.status.state).toBe('suppressed');
    expect(byKey.get('ModelwatchFeatureDrift/critical/income')!.status.state).toBe('active');
    expect(byKey.get('ModelwatchFeatureDrift/warning/age')!.status.state).toBe('active');
    expect(byKey.get('ModelwatchAccuracyCollapse/critical/')!.status.state).toBe('active');
  });

  it('notifies the exporter once per model version, not per evaluation, and nothing else', async () => {
    // The rollback route's group_interval is 1m: within a few seconds no second notification may come.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(deliveries).toHaveLength(1);
  });
});
