import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startListening, type Child } from './child.js';
import { EXPORTER_DIR, EXPORTER_MAIN, EXPORTER_SOURCE_MAIN } from './paths.js';

export interface ExporterOptions {
  /** After `serve`, e.g. ['--demo']. */
  serveArgs?: string[];
  /** Run src/cli/main.ts through tsx, so the test needs no build, instead of the built dist/cli/main.js. */
  fromSource?: boolean;
  /** The admin token; default a random one. null sets none, so the exporter makes and prints a bootstrap token. */
  adminToken?: string | null;
  /** The data directory, kept after stop; default a fresh one removed on stop. */
  dataDir?: string;
  /** Further MODELWATCH_* settings; they win over the defaults (e.g. MODELWATCH_LOG_LEVEL, silent by default). */
  env?: Record<string, string>;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

export interface RunningExporter {
  url: string;
  hostPort: string;
  adminToken: string | undefined;
  dataDir: string;
  child: Child;
  /** Everything the process wrote so far. */
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** A JSON request with a bearer token (the admin token unless `token` is given). */
  api(method: string, pathname: string, body?: unknown, token?: string): Promise<{ status: number; data: unknown }>;
  /** SIGTERM (SIGKILL after 5 s), then the exit code. */
  stop(): Promise<number | null>;
}

/** The test runner's environment without MODELWATCH_* settings, which would leak into the exporter. */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => !e[0].startsWith('MODELWATCH_') && e[1] !== undefined),
  );
}

/** Starts the real exporter CLI (`modelwatch serve`) as its own process on a free loopback port, ready at /readyz. */
export async function startExporter(options: ExporterOptions = {}): Promise<RunningExporter> {
  const entry = options.fromSource ? ['--import', 'tsx', EXPORTER_SOURCE_MAIN] : [EXPORTER_MAIN];
  if (!options.fromSource && !fs.existsSync(EXPORTER_MAIN))
    throw new Error(`${EXPORTER_MAIN} is missing: build the exporter first (npm run build at the repo root)`);
  const adminToken = options.adminToken === null ? undefined : (options.adminToken ?? crypto.randomBytes(24).toString('hex'));
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-exporter-'));
  let child: Child;
  let port: number;
  try {
    ({ child, port } = await startListening((port) => ({
      name: 'exporter',
      command: process.execPath,
      args: [...entry, 'serve', ...(options.serveArgs ?? [])],
      // tsx is resolved from the working directory.
      cwd: EXPORTER_DIR,
      env: {
        ...inheritedEnv(),
        MODELWATCH_PORT: String(port),
        MODELWATCH_HOST: '127.0.0.1',
        MODELWATCH_DATA_DIR: dataDir,
        MODELWATCH_LOG_LEVEL: 'silent',
        ...(adminToken === undefined ? {} : { MODELWATCH_ADMIN_TOKEN: adminToken }),
        ...options.env,
      },
      ready: async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      readyTimeoutMs: options.readyTimeoutMs,
    })));
  } catch (err) {
    if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const hostPort = `127.0.0.1:${port}`;
  const url = `http://${hostPort}`;
  return {
    url,
    hostPort,
    adminToken,
    dataDir,
    child,
    output: () => child.output(),
    waitForOutput: (pattern, timeoutMs) => child.waitForOutput(pattern, timeoutMs),
    async api(method, pathname, body, token = adminToken) {
      const res = await fetch(`${url}${pathname}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : null };
    },
    async stop() {
      const code = await child.stop();
      if (options.dataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
