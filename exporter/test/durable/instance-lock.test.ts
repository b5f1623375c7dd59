import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExporter, type RunningExporter } from '@modelwatch/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCE_LOCK_NAMESPACE, instanceLockKey } from '../../src/store/instance-lock.js';
import { CLI_COMMAND, type CliResult } from '../cli/run-cli.js';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { metrics } from './process-helpers.js';
import { sample } from '../ingest/helpers.js';

/*
 * On PostgreSQL the journal rows are named by MODELWATCH_INSTANCE; two exporters on different
 * hosts sharing one name would replay and delete each other's rows (store/instance-lock.ts). The
 * data-directory lock cannot see them, so each exporter here has a directory of its own, as on
 * another host: the database refuses the second one with the same instance.
 */

const skipPg = shouldSkipPostgres();
let pg: TestPostgres | undefined;
const dirs: string[] = [];
const running: RunningExporter[] = [];
const ADMIN = 'instance-lock-test-admin-token-0123456789';
// one audit key for all, as replicas sharing a database must have
const AUDIT_KEY = 'instance-lock-test-audit-key-0123456789abcdef';

beforeAll(async () => {
  if (!skipPg) pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const e of running) await e.stop().catch(() => undefined);
  await pg?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-instance-lock-'));
  dirs.push(d);
  return d;
}

function settings(url: string, instance: string): Record<string, string> {
  return { MODELWATCH_DATABASE_URL: url, MODELWATCH_INSTANCE: instance, MODELWATCH_AUDIT_KEY: AUDIT_KEY };
}

async function start(url: string, instance: string, extra: Record<string, string> = {}): Promise<RunningExporter> {
  const e = await startExporter({ fromSource: true, dataDir: tempDir(), adminToken: ADMIN, env: { ...settings(url, instance), ...extra } });
  running.push(e);
  return e;
}

/** `modelwatch serve` on its own data directory; SIGKILLed after `limitMs` if it does not exit by itself (code null). */
function serve(url: string, instance: string, limitMs: number): Promise<CliResult> {
  const [node, ...args] = CLI_COMMAND.split(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELWATCH_')));
  const child = spawn(node, [...args, 'serve'], {
    env: {
      ...env,
      ...settings(url, instance),
      MODELWATCH_PORT: '0',
      MODELWATCH_HOST: '127.0.0.1',
      MODELWATCH_DATA_DIR: tempDir(),
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

const predictions = (ids: string[]) => ({
  model: 'm',
  version: 'v1',
  events: ids.map((id) => ({ id, features: {}, prediction: 1, score: 0.9 })),
});

/** Polls `f` until it returns true, or fails after `timeoutMs`. */
async function until(what: string, f: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The backend pids of the sessions an exporter opened for its instance lock. */
async function lockSessions(database: string, e: RunningExporter): Promise<number[]> {
  const r = await pg!.query(database, `select pid from pg_stat_activity where application_name like $1`, [
    `modelwatch pid ${e.child.process.pid} on %`,
  ]);
  return r.rows.map((row: { pid: number }) => row.pid);
}

describe('one exporter per journal instance on a PostgreSQL store', () => {
  it.skipIf(skipPg)(
    'a second exporter with the same instance exits 2 naming it; another instance starts; a SIGKILLed holder does not block its replacement',
    async () => {
      const url = await pg!.createDatabase('instance_lock');
      const first = await start(url, 'shared');
      expect((await first.api('POST', '/api/v1/predictions', predictions(['a']))).status).toBe(200);

      const second = await serve(url, 'shared', 30_000);
      expect(second.code).toBe(2);
      expect(second.stdout).not.toContain('listening');
      expect(second.stderr.trimEnd().split('\n')).toEqual([
        `modelwatch: journal instance shared is in use by another modelwatch exporter on this database (modelwatch pid ${first.child.process.pid} on ${os.hostname()} from 127.0.0.1); stop it first, or give this one its own MODELWATCH_INSTANCE`,
      ]);
      // the first one goes on as if nothing happened
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      expect((await first.api('POST', '/api/v1/predictions', predictions(['b']))).status).toBe(200);

      const other = await start(url, 'other');
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
      expect(await other.stop()).toBe(0);

      // SIGKILL: no shutdown hook runs; PostgreSQL ends the session and its lock with the process
      first.child.process.kill('SIGKILL');
      await first.stop();
      const replacement = await start(url, 'shared');
      // what the first one acknowledged is the replacement's (restored and replayed)
      expect(sample(await metrics(replacement), 'modelwatch_predictions_total', { model: 'm', version: 'v1' })).toBe(2);
      expect(await replacement.stop()).toBe(0);
    },
    120_000,
  );

  it.skipIf(skipPg)(
    'a dropped lock session is taken again; while another session holds the instance, ingest and /readyz answer 503 for good',
    async () => {
      const url = await pg!.createDatabase('instance_lock_drop');
      const database = 'instance_lock_drop';
      const e = await start(url, 'dropped', { MODELWATCH_LOG_LEVEL: 'info' });
      const [session] = await lockSessions(database, e);
      expect(session).toBeGreaterThan(0);

      // the session is cut (a killed backend): the exporter takes the lock again by itself
      await pg!.query(database, 'select pg_terminate_backend($1)', [session]);
      await until('the lock taken again', async () => {
        const now = await lockSessions(database, e);
        return now.length === 1 && now[0] !== session;
      });
      await until('ingest accepted again', async () => (await e.api('POST', '/api/v1/predictions', predictions(['c']))).status === 200);
      expect((await fetch(`${e.url}/readyz`)).status).toBe(200);

      // cut again, and another session takes the instance before the exporter can (it waits
      // for the lock, so it has it as soon as the cut session is gone)
      const [again] = await lockSessions(database, e);
      const rival = await import('pg').then(({ default: pgLib }) => new pgLib.Client({ connectionString: url }));
      await rival.connect();
      try {
        await pg!.query(database, 'select pg_terminate_backend($1)', [again]);
        await rival.query('select pg_advisory_lock($1, $2)', [INSTANCE_LOCK_NAMESPACE, instanceLockKey('dropped')]);
        await until('ingest refused', async () => (await e.api('POST', '/api/v1/predictions', predictions(['d']))).status === 503);
        expect((await fetch(`${e.url}/readyz`)).status).toBe(503);
        await e.waitForOutput(/another modelwatch exporter took this exporter’s journal instance/, 10_000);
      } finally {
        await rival.end();
      }
      // the rival may have replayed and deleted this exporter's rows: it does not take them back
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await e.api('POST', '/api/v1/predictions', predictions(['e']))).status).toBe(503);
      expect(await lockSessions(database, e)).toEqual([]);
    },
    120_000,
  );
});
