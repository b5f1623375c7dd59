import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/app/root.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** fetch against the server with the admin token unless `token` is given (null: none). */
  api(pathname: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
}

/** Starts an exporter on a free loopback port with its own data dir. */
export async function startTestServer(env: Record<string, string> = {}, extra: Omit<StartOptions, 'config'> = {}): Promise<TestServer> {
  const dataDir = env.MODELWATCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-test-'));
  const config = loadConfig({
    MODELWATCH_PORT: '0',
    MODELWATCH_HOST: '127.0.0.1',
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    MODELWATCH_LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startServer({ config, ...extra });
  return Object.assign(running, {
    dataDir,
    api(pathname: string, init: RequestInit & { token?: string | null; json?: unknown } = {}) {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? TEST_ADMIN_TOKEN : init.token;
      if (token) headers.set('Authorization', `Bearer ${token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('Content-Type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(running.url + pathname, { ...init, headers, body });
    },
  });
}
