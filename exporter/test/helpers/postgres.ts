import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@modelwatch/test-support';
import pg from 'pg';

/**
 * A real PostgreSQL server for tests: initdb into a temp dir, postgres on a free loopback
 * port, trust auth on 127.0.0.1, unix socket inside the temp dir. Tests run as root and
 * postgres refuses root, so the server runs as the `postgres` OS user via runuser.
 */
export const PG_BIN = process.env.MODELWATCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb')) || !fs.existsSync(path.join(PG_BIN, 'postgres'))) {
    return `PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql, or set MODELWATCH_PG_BIN)`;
  }
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
  } catch {
    return 'no `postgres` OS user to run the server as';
  }
  return undefined;
}

/**
 * Skips (with the reason printed) on a developer machine without PostgreSQL; under CI=true a
 * missing server is an error, so CI never silently skips.
 */
export function shouldSkipPostgres(): boolean {
  const reason = postgresUnavailable();
  if (!reason) return false;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run: ${reason}`);
  process.stderr.write(`SKIPPING PostgreSQL tests: ${reason}\n`);
  return true;
}

export interface TestPostgres {
  port: number;
  /** Connection URL for a database on this server. */
  url(database?: string): string;
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser against `database`. */
  query(database: string, text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /**
   * Stops the server, keeping its data: every connection is cut, as in a crash. A clean stop
   * (pg_ctl -m fast), because this test server runs with synchronous_commit=off and an
   * immediate stop would lose commits a real server (synchronous_commit=on) keeps.
   */
  pause(): Promise<void>;
  /** Starts the paused server again on the same port and data: a failover back, a restarted pod. */
  resume(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

function ids(user: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', user]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', user]).toString().trim()),
  };
}

function asPostgres(bin: string, args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], { stdio: 'pipe' }).toString();
}

async function waitReady(port: number, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres on port ${port} not ready after ${timeoutMs} ms:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-pg-'));
  const { uid, gid } = ids('postgres');
  fs.chownSync(root, uid, gid);
  const dataDir = path.join(root, 'data');
  asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);

  const launch = async (port: number): Promise<{ child?: ChildProcess; output: string }> => {
    let output = '';
    const c = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(PG_BIN, 'postgres'),
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        root,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    c.stdout.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitReady(port, c, () => output);
      return { child: c, output };
    } catch (err) {
      c.kill('SIGKILL');
      if (/could not bind|Address already in use/.test(output)) return { output };
      throw err;
    }
  };

  let running: ChildProcess | undefined;
  let port = 0;
  // The free port may be taken between probing and binding by a parallel test: try again.
  for (let attempt = 0; attempt < 5 && !running; attempt += 1) {
    port = await freePort();
    try {
      const launched = await launch(port);
      running = launched.child;
      if (!running && attempt === 4) throw new Error(`postgres could not bind a port:\n${launched.output}`);
    } catch (err) {
      fs.rmSync(root, { recursive: true, force: true });
      throw err;
    }
  }
  const shutdown = async () => {
    const child = running;
    if (!child) return;
    try {
      asPostgres('pg_ctl', ['-D', dataDir, 'stop', '-m', 'fast', '-w']);
    } catch {
      child.kill('SIGKILL');
    }
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    running = undefined;
  };
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const query = async (database: string, text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query(text, params);
    } finally {
      await client.end();
    }
  };

  return {
    port,
    url,
    query,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await query('postgres', `CREATE DATABASE ${name}`);
      return url(name);
    },
    async pause() {
      await shutdown();
    },
    async resume() {
      if (running) return;
      const launched = await launch(port);
      if (!launched.child) throw new Error(`postgres could not bind its port ${port} again:\n${launched.output}`);
      running = launched.child;
    },
    async stop() {
      await shutdown();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
