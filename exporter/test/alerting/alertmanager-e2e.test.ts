/**
 * End to end with the real Alertmanager (Debian's prometheus-alertmanager) running the shipped
 * provisioning/alertmanager/alertmanager.yml, re-pointed at a real exporter: an alert posted
 * to Alertmanager rolls the model back through the receiver, once, even when two
 * un-clustered Alertmanagers (a misconfigured HA pair) both deliver it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERTMANAGER_BIN,
  binaryExists,
  shippedAlertmanagerConfig,
  startAlertmanager,
  until,
  type RunningAlertmanager,
} from '@modelwatch/test-support';
import { startTestServer, type TestServer } from '../helpers/start.js';

const present = binaryExists(ALERTMANAGER_BIN);
if (!present)
  process.stderr.write(
    `\n!!! SKIPPING alertmanager-e2e: ${ALERTMANAGER_BIN} is not installed (apt-get install prometheus-alertmanager)\n\n`,
  );

describe.skipIf(!present)('real Alertmanager → exporter receiver → rollback', () => {
  let s: TestServer;
  let dir: string;
  const ams: RunningAlertmanager[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-am-e2e-'));
    const { token } = (await (
      await s.api('/api/v1/tokens', { method: 'POST', json: { name: 'alertmanager', role: 'operator' } })
    ).json()) as { token: string };
    fs.writeFileSync(path.join(dir, 'token'), `${token}\n`, { mode: 0o600 });
    for (const v of ['v6', 'v7']) {
      expect(
        (
          await s.api('/api/v1/models/credit/versions', {
            method: 'POST',
            json: { version: v, metrics: { accuracy: 0.9, latency_ms: 10 } },
          })
        ).status,
      ).toBe(201);
      for (const to of ['staging', 'production']) {
        expect(
          (await s.api(`/api/v1/models/credit/versions/${v}/transitions`, { method: 'POST', json: { to, reason: 'release' } })).status,
        ).toBe(200);
      }
    }

    // The shipped config, with only the exporter URL and the token file pointed at this test.
    const configFile = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(configFile, shippedAlertmanagerConfig(s.url, path.join(dir, 'token')));
    ams.push(...(await Promise.all([startAlertmanager(configFile), startAlertmanager(configFile)])));
  });

  afterAll(async () => {
    await Promise.all(ams.map((am) => am.stop()));
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rolls credit back from v7 to v6 once, with the alert recorded as the trigger', async () => {
    const alert = {
      labels: {
        alertname: 'ModelwatchAccuracyCollapse',
        action: 'rollback',
        severity: 'critical',
        model: 'credit',
        version: 'v7',
        team: 'risk',
      },
      annotations: { summary: 'credit v7 accuracy collapsed' },
      startsAt: new Date().toISOString(),
    };
    // Both Alertmanagers get the alert (as Prometheus sends to every one of a pair).
    for (const am of ams) {
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([alert]),
      });
      expect(res.status).toBe(200);
    }
    await until('credit rolled back to v6', async () => {
      const m = (await (await s.api('/api/v1/models/credit')).json()) as { production_version: string };
      return m.production_version === 'v6' ? true : undefined;
    });
    // Both must have notified the exporter: the second delivery is the duplicate that must do nothing.
    await until('both Alertmanagers delivered', async () => {
      const counts = await Promise.all(
        ams.map(
          async (am) =>
            (await (await fetch(`${am.url}/metrics`)).text()).match(
              /^alertmanager_notifications_total\{integration="webhook"\} (\d+)/m,
            )?.[1],
        ),
      );
      return counts.every((c) => Number(c) >= 1) ? true : undefined;
    });
    for (const am of ams) {
      const metrics = await (await fetch(`${am.url}/metrics`)).text();
      expect(metrics).toMatch(/^alertmanager_notifications_failed_total\{integration="webhook"[^}]*\} 0$/m);
    }

    const audit = (await (await s.api('/api/v1/audit?model=credit')).json()) as {
      entries: { action: string; actor: string; reason: string; after: { trigger: string; archived_version: string } }[];
    };
    const rollbacks = audit.entries.filter((e) => e.action === 'model.rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ actor: 'token:alertmanager', after: { trigger: 'alert', archived_version: 'v7' } });
    expect(rollbacks[0].reason).toMatch(
      /^alert ModelwatchAccuracyCollapse firing since \S+ \(fingerprint [0-9a-f]+\): credit v7 accuracy collapsed$/,
    );
    const versions = (await (await s.api('/api/v1/models/credit/versions')).json()) as { versions: { version: string; stage: string }[] };
    expect(versions.versions.map((v) => [v.version, v.stage])).toEqual([
      ['v6', 'production'],
      ['v7', 'archived'],
    ]);
  });
});
