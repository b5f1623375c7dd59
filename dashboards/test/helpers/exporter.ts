import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPORTER_MAIN, REPO_ROOT } from './paths.js';
import { freePort, startChild, waitFor, type Child } from './processes.js';

export const TEST_ADMIN_TOKEN = 'dashboards-test-admin-token-0123456789';

export interface DemoExporter {
  url: string;
  hostPort: string;
  child: Child;
  stop(): Promise<void>;
}

/** The real exporter CLI with demo traffic, on its own port and data dir (needs `npm run build`). */
export async function startDemoExporter(): Promise<DemoExporter> {
  // Developers can point the suite at an exporter they already run (e.g. with provisioning/demo traffic).
  const external = process.env.DASHBOARDS_TEST_EXPORTER_URL;
  if (external) {
    const u = new URL(external);
    if (!(await fetch(`${u.origin}/readyz`)).ok) throw new Error(`${external} is not ready`);
    const none = startChild(process.execPath, ['-e', 'setTimeout(() => {}, 1e9)']);
    return { url: u.origin, hostPort: u.host, child: none, stop: () => none.stop() };
  }
  if (!fs.existsSync(EXPORTER_MAIN)) throw new Error(`${EXPORTER_MAIN} is missing: build the exporter first (npm run build at the repo root)`);
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-dash-exporter-'));
  const child = startChild(process.execPath, [EXPORTER_MAIN, 'serve', '--demo'], {
    ...process.env,
    MODELWATCH_PORT: String(port),
    MODELWATCH_HOST: '127.0.0.1',
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    MODELWATCH_LOG_LEVEL: 'silent',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('exporter /readyz', async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined), 30_000, child);
  return {
    url,
    hostPort: `127.0.0.1:${port}`,
    child,
    async stop() {
      await child.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The compose stack's traffic generator (provisioning/demo/traffic-generator.mjs) against the
 * exporter: it adds what the in-process demo does not — registry models, versions and stage
 * transitions, a regression model, and errors with a reason — through the public HTTP API.
 */
export function startTrafficGenerator(exporterUrl: string, token: string): Child {
  return startChild(process.execPath, [path.join(REPO_ROOT, 'provisioning', 'demo', 'traffic-generator.mjs')], {
    ...process.env,
    MODELWATCH_URL: exporterUrl,
    MODELWATCH_TOKEN: token,
    DEMO_INTERVAL_MS: '500',
  });
}
