import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERTMANAGER_BIN } from './binaries.js';
import { startListening, type Child } from './child.js';
import { SHIPPED_ALERTMANAGER_CONFIG } from './paths.js';

export interface RunningAlertmanager {
  url: string;
  hostPort: string;
  child: Child;
  /** Everything Alertmanager logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Debian's Alertmanager on a free loopback port running `configFile`, with clustering off (so
 * several can run side by side) and its storage in a throw-away directory.
 */
export async function startAlertmanager(configFile: string): Promise<RunningAlertmanager> {
  if (!fs.existsSync(ALERTMANAGER_BIN))
    throw new Error(`${ALERTMANAGER_BIN} not found: install Debian's prometheus-alertmanager package (.ci/run does)`);
  const { child, port } = await startListening((port) => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-am-'));
    return {
      name: 'alertmanager',
      command: ALERTMANAGER_BIN,
      args: [
        `--config.file=${configFile}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      ownedDirs: [storage],
      ready: async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok,
    };
  });
  const hostPort = `127.0.0.1:${port}`;
  return {
    url: `http://${hostPort}`,
    hostPort,
    child,
    log: () => child.output(),
    async stop() {
      await child.stop();
    },
  };
}

/** Timings of the rollback route a test may shorten (Alertmanager duration strings). */
export interface RollbackRouteTimings {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
}

interface ShippedConfig {
  route: { routes?: { receiver: string; [key: string]: unknown }[] };
  receivers: { name: string; webhook_configs?: { url: string; http_config: { authorization: { credentials_file: string } } }[] }[];
}

/**
 * The shipped Alertmanager config with only what must differ in a test changed: the
 * exporter-rollback receiver's URL (the webhook path under `exporterUrl`) and token file, and
 * optionally the rollback route's timings.
 */
export function shippedAlertmanagerConfig(exporterUrl: string, tokenFile: string, timings: RollbackRouteTimings = {}): string {
  const cfg = parse(fs.readFileSync(SHIPPED_ALERTMANAGER_CONFIG, 'utf8')) as ShippedConfig;
  const hook = cfg.receivers.find((r) => r.name === 'exporter-rollback')?.webhook_configs?.[0];
  if (!hook) throw new Error(`${SHIPPED_ALERTMANAGER_CONFIG} has no exporter-rollback webhook receiver`);
  hook.url = `${exporterUrl}/api/v1/alertmanager/webhook`;
  hook.http_config.authorization.credentials_file = tokenFile;
  if (Object.keys(timings).length > 0) {
    const route = cfg.route.routes?.find((r) => r.receiver === 'exporter-rollback');
    if (!route) throw new Error(`${SHIPPED_ALERTMANAGER_CONFIG} has no route to exporter-rollback`);
    Object.assign(route, timings);
  }
  return stringify(cfg);
}

/** Value of alertmanager_notifications_total (or _failed_total) for the webhook integration. */
export async function webhookNotifications(am: RunningAlertmanager, failed = false): Promise<number> {
  const text = await (await fetch(`${am.url}/metrics`)).text();
  const name = failed ? 'alertmanager_notifications_failed_total' : 'alertmanager_notifications_total';
  const m = new RegExp(`^${name}\\{integration="webhook"[^}]*\\} (\\d+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name}{integration="webhook"} not exposed by ${am.url}`);
  return Number(m[1]);
}
