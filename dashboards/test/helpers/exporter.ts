import path from 'node:path';
import { spawnChild, startExporter, type Child } from '@modelwatch/test-support';
import { REPO_ROOT } from './paths.js';

export const TEST_ADMIN_TOKEN = 'dashboards-test-admin-token-0123456789';

export interface DemoExporter {
  url: string;
  hostPort: string;
  stop(): Promise<void>;
}

/** The real exporter CLI with demo traffic, on its own port and data dir (needs `npm run build`). */
export async function startDemoExporter(): Promise<DemoExporter> {
  // Developers can point the suite at an exporter they already run (e.g. with provisioning/demo traffic).
  const external = process.env.DASHBOARDS_TEST_EXPORTER_URL;
  if (external) {
    const u = new URL(external);
    if (!(await fetch(`${u.origin}/readyz`)).ok) throw new Error(`${external} is not ready`);
    return { url: u.origin, hostPort: u.host, stop: async () => undefined };
  }
  const exporter = await startExporter({ serveArgs: ['--demo'], adminToken: TEST_ADMIN_TOKEN });
  return {
    url: exporter.url,
    hostPort: exporter.hostPort,
    async stop() {
      await exporter.stop();
    },
  };
}

/**
 * The compose stack's traffic generator (provisioning/demo/traffic-generator.mjs) against the
 * exporter: it adds what the in-process demo does not — registry models, versions and stage
 * transitions, a regression model, and errors with a reason — through the public HTTP API.
 */
export function startTrafficGenerator(exporterUrl: string, token: string): Child {
  return spawnChild({
    name: 'traffic generator',
    command: process.execPath,
    args: [path.join(REPO_ROOT, 'provisioning', 'demo', 'traffic-generator.mjs')],
    env: { ...process.env, MODELWATCH_URL: exporterUrl, MODELWATCH_TOKEN: token, DEMO_INTERVAL_MS: '500' },
  });
}
