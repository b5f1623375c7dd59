import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExporter, type RunningExporter } from '@modelwatch/test-support';
import { afterAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI_COMMAND, type CliResult } from '../cli/run-cli.js';

/*
 * Two exporters on one data directory would both checkpoint and journal into the same SQLite
 * file and lose acknowledged data (store/data-dir-lock.ts): the second refuses to start. The lock
 * dies with its holder, so an exporter that was SIGKILLed does not block its restart.
 */

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-dir-lock-'));
const ADMIN = 'dir-lock-test-admin-token-0123456789';
const running: RunningExporter[] = [];
const start = async () => {
  const e = await startExporter({ fromSource: true, dataDir, adminToken: ADMIN });
  running.push(e);
  return e;
};

/** `modelwatch serve` on the data directory; stopped after `limitMs` if it does not exit by itself (code null). */
function serveSecond(limitMs: number): Promise<CliResult> {
  const [node, ...args] = CLI_COMMAND.split(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELWATCH_')));
  const child = spawn(node, [...args, 'serve'], {
    env: {
      ...env,
      MODELWATCH_PORT: '0',
      MODELWATCH_HOST: '127.0.0.1',
      MODELWATCH_DATA_DIR: dataDir,
      MODELWATCH_ADMIN_TOKEN: ADMIN,
      MODELWATCH_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

afterAll(async () => {
  for (const e of running) await e.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('a second exporter on the same data directory exits 2 with one line naming the directory and the pid; a SIGKILLed holder does not block the restart', async () => {
  const first = await start();
  const pid = first.child.process.pid!;
  const predictions = { model: 'm', version: 'v1', events: [{ id: 'a', features: {}, prediction: 1, score: 0.9 }] };
  expect((await first.api('POST', '/api/v1/predictions', predictions)).status).toBe(200);

  const second = await serveSecond(20_000);
  expect(second.code).toBe(2);
  expect(second.stdout).not.toContain('listening');
  expect(second.stderr.trimEnd().split('\n')).toEqual([
    `modelwatch: data directory ${dataDir} is in use by another modelwatch exporter (pid ${pid}); stop it first, or give this one its own MODELWATCH_DATA_DIR`,
  ]);
  // the first one goes on as if nothing happened
  expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
  expect((await first.api('POST', '/api/v1/feedback', { model: 'm', events: [{ id: 'a', label: 1 }] })).data).toMatchObject({ joined: 1 });

  // SIGKILL: no shutdown hook runs; the kernel lets the lock go with the process
  first.child.process.kill('SIGKILL');
  await first.stop();
  const restarted = await start();
  expect((await restarted.api('GET', '/api/v1/models/m/status')).status).toBe(200);
  expect(await restarted.stop()).toBe(0);
}, 90_000);
