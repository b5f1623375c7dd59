import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { alertmanagerPayload } from './alerts.js';

/**
 * Issue 13, cases 12 and 13 for the Alertmanager receiver: alert text is what a rule template
 * produced, so refused characters are normalised (U+FFFD) rather than refused. The rollback
 * still happens, and the audit chain, which hashes the stored text, still verifies.
 */
function describeAlertText(dialect: string, env: () => Promise<{ env: Record<string, string>; dispose(): Promise<void> }>): void {
  describe(`alert text on ${dialect}`, () => {
    let s: TestServer;
    let dispose: () => Promise<void> = async () => undefined;

    async function shipTwo(model: string): Promise<void> {
      for (const v of ['v1', 'v2']) {
        const reg = await s.api(`/api/v1/models/${model}/versions`, {
          method: 'POST',
          json: { version: v, metrics: { accuracy: 0.9, latency_ms: 10 } },
        });
        expect(reg.status).toBe(201);
        for (const to of ['staging', 'production']) {
          const r = await s.api(`/api/v1/models/${model}/versions/${v}/transitions`, { method: 'POST', json: { to, reason: 'ship' } });
          expect(r.status, await r.clone().text()).toBe(200);
        }
      }
    }
    const production = async (model: string) =>
      ((await (await s.api(`/api/v1/models/${model}`)).json()) as { production_version: string | null }).production_version;
    const verify = async () => (await (await s.api('/api/v1/audit/verify')).json()) as { ok: boolean };

    beforeAll(async () => {
      const e = await env();
      dispose = e.dispose;
      s = await startTestServer(e.env);
      await shipTwo('nul_alert');
      await shipTwo('surrogate_alert');
    });
    afterAll(async () => {
      await s?.close();
      await dispose();
    });

    it('an alert name with NUL rolls back (once) instead of answering 503 for ever', async () => {
      const payload = alertmanagerPayload([
        { labels: { alertname: 'Acc\u0000Collapse', action: 'rollback', model: 'nul_alert', version: 'v2' }, fingerprint: 'n1' },
      ]);
      const res = await s.api('/api/v1/alertmanager/webhook', { method: 'POST', json: payload });
      const body = (await res.json()) as { rolled_back: number; alerts: { alertname: string }[] };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.rolled_back).toBe(1);
      expect(body.alerts[0].alertname).toBe('Acc\ufffdCollapse');
      expect(await production('nul_alert')).toBe('v1');
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('a lone surrogate in annotations.summary is stored as U+FFFD and the chain still verifies', async () => {
      const payload = alertmanagerPayload([
        { labels: { alertname: 'AccuracyLow', action: 'rollback', model: 'surrogate_alert', version: 'v2' }, fingerprint: 's1' },
      ]);
      const raw = JSON.stringify(payload).replace(/"summary":"[^"]*"/, '"summary":"bad \\ud800 summary"');
      const res = await s.api('/api/v1/alertmanager/webhook', {
        method: 'POST',
        body: raw,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await production('surrogate_alert')).toBe('v1');
      const audit = (await (await s.api('/api/v1/audit?model=surrogate_alert&limit=1')).json()) as { entries: { reason: string }[] };
      expect(audit.entries[0].reason).toContain('bad \ufffd summary');
      expect(await verify()).toMatchObject({ ok: true });
    });
  });
}

describeAlertText('SQLite', async () => ({ env: {}, dispose: async () => undefined }));

if (shouldSkipPostgres()) {
  describe.skip('alert text on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  let pgServer: TestPostgres | undefined;
  describeAlertText('PostgreSQL', async () => {
    pgServer = await startPostgres();
    const url = await pgServer.createDatabase('alert_text');
    return { env: { MODELWATCH_DATABASE_URL: url }, dispose: () => pgServer!.stop() };
  });
}
