import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { alertmanagerPayload } from './alerts.js';

interface Summary {
  receiver: string;
  rolled_back: number;
  ignored: number;
  failed: number;
  alerts: { fingerprint: string; outcome: string; detail: string; to_version?: string }[];
}

const rollbackAlert = (model: string, version: string, fingerprint: string) => ({
  labels: { alertname: 'ModelAccuracyDropped', action: 'rollback', model, version, severity: 'critical' },
  fingerprint,
});

describe('POST /api/v1/alertmanager/webhook', () => {
  let s: TestServer;
  let alertmanagerToken: string;
  let viewerToken: string;

  /** Two versions through production, so that the newer one has a predecessor. */
  async function shipTwoVersions(model: string): Promise<void> {
    for (const v of ['1.0', '1.1']) {
      expect(
        (
          await s.api(`/api/v1/models/${model}/versions`, {
            method: 'POST',
            json: { version: v, metrics: { accuracy: 0.9, latency_ms: 10 } },
          })
        ).status,
      ).toBe(201);
      for (const to of ['staging', 'production']) {
        expect(
          (await s.api(`/api/v1/models/${model}/versions/${v}/transitions`, { method: 'POST', json: { to, reason: 'ship' } })).status,
        ).toBe(200);
      }
    }
  }
  const production = async (model: string) =>
    ((await (await s.api(`/api/v1/models/${model}`)).json()) as { production_version: string | null }).production_version;
  const post = (body: unknown, token: string | null = alertmanagerToken) =>
    s.api('/api/v1/alertmanager/webhook', { method: 'POST', json: body, token });

  beforeAll(async () => {
    s = await startTestServer();
    const mk = async (name: string, role: string) =>
      ((await (await s.api('/api/v1/tokens', { method: 'POST', json: { name, role } })).json()) as { token: string }).token;
    alertmanagerToken = await mk('alertmanager', 'operator');
    viewerToken = await mk('grafana', 'viewer');
    for (const m of ['churn', 'ranker', 'fraud']) await shipTwoVersions(m);
  });
  afterAll(async () => {
    await s.close();
  });

  it('refuses malformed payloads with 400 naming the field, changing nothing', async () => {
    const good = alertmanagerPayload([rollbackAlert('churn', '1.1', 'aaa1')]);
    const cases: [unknown, RegExp][] = [
      [{ ...good, version: '3' }, /version/],
      [{ ...good, alerts: undefined }, /alerts/],
      [{ ...good, alerts: [{ ...good.alerts[0], status: 'pending' }] }, /alerts\[0\]\.status/],
      [{ ...good, alerts: [{ ...good.alerts[0], startsAt: 'yesterday' }] }, /alerts\[0\]\.startsAt/],
      [{ ...good, alerts: [{ ...good.alerts[0], labels: { model: 42 } }] }, /alerts\[0\]\.labels\.model/],
      [[], /body|expected object/],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(field);
    }
    const notJson = await s.api('/api/v1/alertmanager/webhook', {
      method: 'POST',
      body: '{"version":',
      headers: { 'Content-Type': 'application/json' },
      token: alertmanagerToken,
    });
    expect(notJson.status).toBe(400);
    expect(await production('churn')).toBe('1.1');
  });

  it('needs an operator token', async () => {
    const body = alertmanagerPayload([rollbackAlert('churn', '1.1', 'aaa1')]);
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, viewerToken)).status).toBe(403);
    expect(await production('churn')).toBe('1.1');
  });

  it('acknowledges a resolved alert and acts on nothing', async () => {
    const res = await post(alertmanagerPayload([{ ...rollbackAlert('churn', '1.1', 'aaa1'), status: 'resolved' }], 'resolved'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Summary;
    expect(body).toMatchObject({ rolled_back: 0, ignored: 1, failed: 0 });
    expect(body.alerts[0].detail).toMatch(/resolved/);
    expect(await production('churn')).toBe('1.1');
  });

  it('rolls back on a firing rollback alert, once: the same alert again is a no-op', async () => {
    const payload = alertmanagerPayload([rollbackAlert('churn', '1.1', 'c0ffee01')]);
    const first = await post(payload);
    expect(first.status).toBe(200);
    const body = (await first.json()) as Summary;
    expect(body).toMatchObject({ receiver: 'modelwatch-rollback', rolled_back: 1, ignored: 0, failed: 0 });
    expect(body.alerts[0]).toMatchObject({ fingerprint: 'c0ffee01', outcome: 'rolled_back', to_version: '1.0' });
    expect(await production('churn')).toBe('1.0');

    const again = await post(payload);
    expect(again.status).toBe(200);
    const second = (await again.json()) as Summary;
    expect(second).toMatchObject({ rolled_back: 0, ignored: 1 });
    expect(second.alerts[0].detail).toMatch(/already handled: 1\.1 is no longer in production \(current: 1\.0\)/);
    expect(await production('churn')).toBe('1.0');

    // The audit log names the alert as the trigger.
    const audit = (await (await s.api('/api/v1/audit?model=churn')).json()) as {
      entries: { action: string; actor: string; reason: string; after: { trigger?: string } }[];
    };
    const rollbacks = audit.entries.filter((e) => e.action === 'model.rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0].actor).toBe('token:alertmanager');
    expect(rollbacks[0].after.trigger).toBe('alert');
    expect(rollbacks[0].reason).toContain('ModelAccuracyDropped');
    expect(rollbacks[0].reason).toContain('c0ffee01');
    expect(rollbacks[0].reason).toContain('2026-01-02T03:04:05.123456789Z');

    const metrics = await (await s.api('/metrics', { token: null })).text();
    expect(metrics).toMatch(/^modelwatch_rollbacks_total\{model="churn",trigger="alert"\} 1$/m);
  });

  it('duplicate deliveries at the same time (an HA Alertmanager pair) roll back once', async () => {
    const payload = alertmanagerPayload([rollbackAlert('ranker', '1.1', 'dup00001')]);
    const results = (await Promise.all([post(payload), post(payload), post(payload)].map(async (r) => (await r).json()))) as Summary[];
    expect(results.map((r) => r.rolled_back).sort()).toEqual([0, 0, 1]);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    expect(await production('ranker')).toBe('1.0');
    const { transitions } = (await (await s.api('/api/v1/models/ranker/transitions')).json()) as {
      transitions: { kind: string; trigger: string | null }[];
    };
    expect(transitions.filter((t) => t.kind === 'rollback')).toHaveLength(2); // the two moves of one rollback
  });

  it('reports every alert of a group: rolled back, not a rollback alert, unknown model, missing labels', async () => {
    const res = await post(
      alertmanagerPayload([
        rollbackAlert('fraud', '1.1', 'f1'),
        rollbackAlert('fraud', '1.1', 'f2'), // a second alert about the same version: already handled
        { labels: { alertname: 'HighLatency', model: 'fraud', version: '1.0', severity: 'warning' }, fingerprint: 'f3' },
        rollbackAlert('no_such_model', '1.0', 'f4'),
        { labels: { alertname: 'Broken', action: 'rollback' }, fingerprint: 'f5' },
      ]),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Summary;
    expect(body).toMatchObject({ rolled_back: 1, ignored: 4, failed: 0 });
    expect(body.alerts.map((a) => [a.fingerprint, a.outcome])).toEqual([
      ['f1', 'rolled_back'],
      ['f2', 'ignored'],
      ['f3', 'ignored'],
      ['f4', 'ignored'],
      ['f5', 'ignored'],
    ]);
    expect(body.alerts[2].detail).toMatch(/not a rollback alert/);
    expect(body.alerts[3].detail).toMatch(/not found/);
    expect(body.alerts[4].detail).toMatch(/without model and version/);
    expect(await production('fraud')).toBe('1.0');
  });

  it('counts every alert handled, by outcome, on /metrics', async () => {
    const metrics = await (await s.api('/metrics', { token: null })).text();
    const count = (outcome: string) =>
      Number(new RegExp(`^modelwatch_alerts_received_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    // churn, ranker and fraud rolled back once each; 1 resolved + 1 repeat + 2 duplicates + 4 in the fraud group ignored
    expect([count('rolled_back'), count('ignored'), count('failed')]).toEqual([3, 8, 0]);
  });
});
