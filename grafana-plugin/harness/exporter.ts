import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stderrTail, stopChild, waitUntilReady } from './child';

export const EXPORTER_MAIN = path.resolve(__dirname, '..', '..', 'exporter', 'dist', 'cli', 'main.js');

export interface RunningExporter {
  url: string;
  adminToken: string;
  api(method: string, pathname: string, body?: unknown, token?: string): Promise<{ status: number; data: unknown }>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the real exporter (its built CLI) on a free loopback port with a fresh data dir. */
export async function startExporter(): Promise<RunningExporter> {
  if (!fs.existsSync(EXPORTER_MAIN)) throw new Error(`${EXPORTER_MAIN} is missing: build the exporter first (npm run build -w exporter)`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-harness-'));
  const adminToken = crypto.randomBytes(24).toString('hex');
  const child: ChildProcess = spawn(process.execPath, [EXPORTER_MAIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      MODELWATCH_PORT: String(port),
      MODELWATCH_HOST: '127.0.0.1',
      MODELWATCH_DATA_DIR: dataDir,
      MODELWATCH_ADMIN_TOKEN: adminToken,
      MODELWATCH_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = stderrTail(child);
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, dataDir);
  await waitUntilReady('exporter', child, async () => (await fetch(`${url}/readyz`)).ok, stop, stderr);

  return {
    url,
    adminToken,
    async api(method, pathname, body, token = adminToken) {
      const res = await fetch(`${url}${pathname}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : null };
    },
    stop,
  };
}
