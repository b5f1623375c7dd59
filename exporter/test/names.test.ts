import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAME_RULE, isFeatureName, isName, NAME_RULE, nameProblem, nameRuleJson } from '../src/names.js';
import { alertmanagerPayload } from './alerting/alerts.js';
import { runCli } from './cli/run-cli.js';
import { REPO_ROOT } from './docs/readme-blocks.js';
import { startTestServer, type TestServer } from './helpers/start.js';

// Issue 10 "two name rules": the registry accepted [A-Za-z0-9._-]{1,128}, ingest any label value up
// to 64 characters. One module (src/names.ts) now decides for both, the CLI and the Grafana app:
// model and version names are identifiers everywhere; feature and KPI names are column names.

describe('the name rule (src/names.ts)', () => {
  it.each([
    ['fraud_detector', true],
    ['v1.2.3-rc1', true],
    ['2026.01', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['café-model', true],
    ['é'.repeat(128), true],
    ['fraud scorer', false],
    ['', false],
    [' leading', false],
    ['trailing ', false],
    ['_hidden', false],
    ['__other__', false],
    ['.', false],
    ['..', false],
    ['-flag', false],
    ['a/b', false],
    ['a\\b', false],
    ['a%2Fb', false],
    ['a\tb', false],
    ['a\nb', false],
    ['a\u0000b', false],
    ['😀', false],
  ])('%j is a name: %s', (value, expected) => {
    expect(isName(value)).toBe(expected);
  });

  it.each([
    ['mean radius', true],
    ['sepal length (cm)', true],
    ['température', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    [' padded', false],
    ['padded ', false],
    ['a\nb', false],
    ['__other__', false],
  ])('feature name %j: %s', (value, expected) => {
    expect(isFeatureName(value)).toBe(expected);
  });

  it('explains a refusal with the rule', () => {
    expect(nameProblem('model', 'a/b')).toBe(`model "a/b" is refused: a name is ${NAME_RULE}`);
    expect(nameProblem('version', '1.0')).toBeUndefined();
  });

  it('is the rule the Grafana app reads (grafana-plugin/src/api/name-rule.json)', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin/src/api/name-rule.json'), 'utf8'));
    expect(shipped).toEqual(nameRuleJson());
  });
});

describe('one name rule across ingest, registry, alert-driven rollback and CLI', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  const predict = (model: string, version: string, features: Record<string, number> = { 'mean radius': 1 }) =>
    s.api('/api/v1/predictions', { method: 'POST', json: { model, version, events: [{ id: 1, features, prediction: 'a' }] } });
  const register = (model: string, version: string, accuracy = 0.95) =>
    s.api(`/api/v1/models/${encodeURIComponent(model)}/versions`, {
      method: 'POST',
      json: { version, metrics: { accuracy, latency_ms: 10 } },
    });
  const transition = (model: string, version: string, to: string) =>
    s.api(`/api/v1/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}/transitions`, {
      method: 'POST',
      json: { to, reason: 'ship' },
    });

  it('a model monitored as "fraud scorer" is refused at ingest as at the registry, naming the field and the rule', async () => {
    for (const res of [await predict('fraud scorer', '1'), await register('fraud scorer', '1')]) {
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(NAME_RULE);
    }
  });

  it('a model monitored as "fraud_scorer" (features "mean radius") can be registered, promoted and rolled back by an alert', async () => {
    expect((await predict('fraud_scorer', '1')).status).toBe(200);
    for (const v of ['1', '2']) {
      expect((await register('fraud_scorer', v)).status).toBe(201);
      for (const to of ['staging', 'production']) expect((await transition('fraud_scorer', v, to)).status).toBe(200);
    }
    const alert = alertmanagerPayload([
      {
        labels: { alertname: 'ModelAccuracyDropped', action: 'rollback', model: 'fraud_scorer', version: '2', severity: 'critical' },
        fingerprint: 'fs1',
      },
    ]);
    expect((await s.api('/api/v1/alertmanager/webhook', { method: 'POST', json: alert })).status).toBe(200);
    const model = (await (await s.api('/api/v1/models/fraud_scorer')).json()) as { production_version: string };
    expect(model.production_version).toBe('1');
  });

  it('a registered 100-character version can be monitored (ingest took at most 64)', async () => {
    const version = `v${'9'.repeat(99)}`;
    expect((await register('long-versions', version)).status).toBe(201);
    expect((await predict('long-versions', version)).status).toBe(200);
    const metrics = await (await s.api('/metrics')).text();
    expect(metrics).toContain(`version="${version}"`);
  });

  it('ingest refuses what the registry refuses, with a 400 naming the field and the rule', async () => {
    const cases: [Response, string][] = [
      [await predict('fraud/scorer', '1'), 'model'],
      [await predict('m', ' 1'), 'version'],
      [await predict('m', '1', { ' padded': 1 }), 'events[0].features. padded'],
      [await s.api('/api/v1/kpis', { method: 'POST', json: { model: 'm', kpis: { __other__: 1 } } }), 'kpis.__other__'],
      [await s.api('/api/v1/feedback', { method: 'POST', json: { model: 'x'.repeat(129), events: [{ id: 1, label: 'a' }] } }), 'model'],
    ];
    for (const [res, field] of cases) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { details: { path: string; message: string }[] };
      const rule = field.startsWith('events') || field.startsWith('kpis') ? FEATURE_NAME_RULE : NAME_RULE;
      expect(body.details).toContainEqual({ path: field, message: expect.stringContaining(rule) });
    }
    const slashed = await register('fraud/scorer', '1');
    expect(slashed.status).toBe(400);
    expect(JSON.stringify(await slashed.json())).toContain(NAME_RULE);
    const bad = await s.api('/api/v1/models', { method: 'POST', json: { name: ' fraud' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain(NAME_RULE);
  });

  it('the CLI refuses a name the exporter would refuse before sending anything (exit 2, the rule)', async () => {
    const r = await runCli(['promote', 'fraud_detector', 'v 1 ', '--to', 'staging', '--reason', 'x', '--url', s.url, '--token', 'unused']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`version name "v 1 " is refused: a name is ${NAME_RULE}`);
    const ok = await runCli(['versions', 'fraud_scorer', '--url', s.url], { MODELWATCH_TOKEN: 'test-admin-token-0123456789abcdef' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('2');
  });
});
