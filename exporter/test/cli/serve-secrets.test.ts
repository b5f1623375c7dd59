import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startExporter, type RunningExporter } from '@modelwatch/test-support';

const WEBHOOK_SECRET = 'serve-secrets-webhook-0123456789';
const ENV_WEBHOOK_SECRET = 'serve-secrets-env-webhook-0123456789';
const WRONG_TOKEN = `mw_abcdefghijkl_${'Q'.repeat(43)}`;

/** The JSON log lines pino wrote (the bootstrap banner is the only other output). */
const logLines = (output: string) => output.split('\n').filter((l) => l.startsWith('{'));

/**
 * `modelwatch serve` as a process, logging at debug: the bootstrap admin token is printed once
 * (not logged) and works; no bearer token, token secret or webhook secret reaches the log,
 * even when deliveries fail and requests are refused.
 */
describe('modelwatch serve keeps secrets out of its output', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-serve-secrets-'));
  const env = {
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_LOG_LEVEL: 'debug',
    MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
    // Port 9 (discard) is closed on loopback: every delivery fails and is logged.
    MODELWATCH_WEBHOOK_URL: 'http://127.0.0.1:9/env-hook',
    MODELWATCH_WEBHOOK_SECRET: ENV_WEBHOOK_SECRET,
  };
  /** From the TypeScript source (no build needed), with no admin token set, so one is generated. */
  const serve = () => startExporter({ fromSource: true, adminToken: null, dataDir, env });
  let running: RunningExporter | undefined;
  let bootstrap = '';

  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a generated admin token once, outside the log, and it works', async () => {
    running = await serve();
    bootstrap = (await running.waitForOutput(/Generated bootstrap admin token[^\n]*\n\s+(mw_\S+)/))[1];
    expect(logLines(running.output()).join('\n')).not.toContain(bootstrap);
    const res = await fetch(`${running.url}/api/v1/tokens`, { headers: { Authorization: `Bearer ${bootstrap}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(bootstrap.slice(16));
  });

  it('logs refusals and failed deliveries without any token or secret', async () => {
    const api = (p: string, token: string, json?: unknown) =>
      fetch(`${running!.url}${p}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    expect((await api('/api/v1/models', WRONG_TOKEN)).status).toBe(401);
    const created = (await (await api('/api/v1/tokens', bootstrap, { name: 'ci', role: 'operator' })).json()) as { token: string };
    expect(
      (await api('/api/v1/webhooks', bootstrap, { url: 'http://127.0.0.1:9/api-hook', events: ['*'], secret: WEBHOOK_SECRET })).status,
    ).toBe(201);
    expect((await api('/api/v1/models/secrets/versions', created.token, { version: '1' })).status).toBe(201);
    expect((await api('/api/v1/models/secrets/versions', created.token, { version: '1' })).status).toBe(409);

    // Both deliveries (environment and API webhook) fail; their retries are logged at debug.
    await running!.waitForOutput(/webhook delivery failed[^]*webhook delivery failed/);
    const output = running!.output();
    for (const secret of [
      bootstrap,
      bootstrap.slice(16),
      created.token,
      created.token.slice(16),
      WRONG_TOKEN,
      WEBHOOK_SECRET,
      ENV_WEBHOOK_SECRET,
    ]) {
      expect(logLines(output).join('\n')).not.toContain(secret);
    }
  });

  it('does not print the admin token again on the next start, and it still works', async () => {
    expect(await running!.stop()).toBe(0);
    running = await serve();
    const res = await fetch(`${running.url}/api/v1/models`, { headers: { Authorization: `Bearer ${bootstrap}` } });
    expect(res.status).toBe(200);
    // After exit, the output is complete: a banner printed late would be in it.
    expect(await running.stop()).toBe(0);
    expect(running.output()).toContain('modelwatch exporter listening');
    expect(running.output()).not.toContain('Generated bootstrap admin token');
    expect(running.output()).not.toContain(bootstrap);
  });
});
