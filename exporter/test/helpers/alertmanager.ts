import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_DIR } from '../cli/run-cli.js';
import { freePort } from './ports.js';
import { until } from './until.js';

/** Debian's prometheus-alertmanager. */
export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
/** The Alertmanager config the project ships (docker-compose mounts it). */
export const SHIPPED_ALERTMANAGER_CONFIG = path.join(REPO_DIR, 'provisioning/alertmanager/alertmanager.yml');

export interface RunningAlertmanager {
  url: string;
  proc: ChildProcess;
  log: () => string;
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
 * The shipped config with only what must differ in a test changed: the exporter-rollback
 * receiver's URL and token file, and (optionally) the rollback route's timings.
 */
export function shippedConfigFor(exporterUrl: string, tokenFile: string, timings: RollbackRouteTimings = {}): string {
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

/**
 * Starts a real Alertmanager on a free loopback port with clustering off and its storage in
 * `dir`, and waits until it is ready.
 */
export async function startAlertmanager(dir: string, configFile: string): Promise<RunningAlertmanager> {
  const port = await freePort();
  let log = '';
  const proc = spawn(
    ALERTMANAGER,
    [`--config.file=${configFile}`, `--storage.path=${path.join(dir, `data-${port}`)}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  await until(`alertmanager on ${port} ready`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined)).catch((err: Error) => {
    proc.kill('SIGKILL');
    throw new Error(`${err.message}\n${log}`);
  });
  return { url, proc, log: () => log };
}

export async function stopAlertmanager(am: RunningAlertmanager | undefined): Promise<void> {
  if (!am || am.proc.exitCode !== null || am.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => am.proc.once('exit', resolve));
  am.proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (am.proc.exitCode === null && am.proc.signalCode === null) am.proc.kill('SIGKILL');
}

/** Value of alertmanager_notifications_total (or _failed_total) for the webhook integration. */
export async function webhookNotifications(am: RunningAlertmanager, failed = false): Promise<number> {
  const text = await (await fetch(`${am.url}/metrics`)).text();
  const name = failed ? 'alertmanager_notifications_failed_total' : 'alertmanager_notifications_total';
  const m = new RegExp(`^${name}\\{integration="webhook"[^}]*\\} (\\d+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name}{integration="webhook"} not exposed by ${am.url}`);
  return Number(m[1]);
}
