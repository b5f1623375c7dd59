import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './ports.js';

export { freePort } from './ports.js';

/** Path of a binary on PATH, or undefined. */
export function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface RunningPrometheus {
  url: string;
  dir: string;
  stop(): Promise<void>;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Active (pending or firing) alerts, from /api/v1/alerts. */
  alerts(): Promise<PrometheusAlert[]>;
  /** The tail of Prometheus's own log, for failure messages. */
  log(): string;
}

export interface PrometheusOptions {
  /** Rule files to load (absolute paths), evaluated every second. */
  ruleFiles?: string[];
  /** Alertmanager base URLs (http://host:port) to send alerts to. */
  alertmanagers?: string[];
}

/**
 * The scrape job is named `modelwatch` because that is what the generated rules select
 * (alert-rules/src/config.ts exporterSelector).
 */
function prometheusConfig(target: string, options: PrometheusOptions): string {
  const config: Record<string, unknown> = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'modelwatch', scrape_interval: '1s', static_configs: [{ targets: [target] }] }],
  };
  if (options.ruleFiles?.length) config.rule_files = options.ruleFiles;
  if (options.alertmanagers?.length) {
    config.alerting = {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: options.alertmanagers.map((u) => new URL(u).host) }] }],
    };
  }
  return stringify(config);
}

/**
 * Starts a real Prometheus scraping `target` (host:port) every second, on a free loopback port,
 * optionally evaluating rules every second and sending alerts to Alertmanagers.
 */
export async function startPrometheus(target: string, options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-prom-'));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), prometheusConfig(target, options));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    };
    const api = async <T>(pathname: string): Promise<T> => {
      const res = await fetch(`${url}${pathname}`);
      const body = (await res.json()) as { status: string; data: T };
      if (body.status !== 'success') throw new Error(`${pathname} failed: ${JSON.stringify(body)}`);
      return body.data;
    };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) {
          return {
            url,
            dir,
            stop,
            log: () => stderr,
            async query(expr: string) {
              return (await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result;
            },
            async alerts() {
              return (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
            },
          };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    lastError = new Error(`prometheus did not become ready: ${stderr}`);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
