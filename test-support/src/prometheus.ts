import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROMETHEUS_BIN } from './binaries.js';
import { startListening, type Child } from './child.js';

/** What Prometheus's HTTP API answers to a query. */
export type PromResponse =
  | { status: 'success'; data: PromResult; warnings?: string[] }
  | { status: 'error'; errorType: string; error: string; data?: undefined; warnings?: string[] };
export type PromResult = { resultType: string; result: unknown };
export type VectorSample = { metric: Record<string, string>; value: [number, string] };

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export interface PrometheusOptions {
  /**
   * Targets (host:port) scraped as job `modelwatch`, the job the generated rules select
   * (alert-rules/src/config.ts exporterSelector).
   */
  targets?: string[];
  /** Instead of targets: the whole prometheus.yml, given Prometheus's own host:port and directory. */
  config?: (self: { hostPort: string; dir: string }) => string;
  /** Scrape interval, scrape timeout and rule evaluation interval; default 1 s, so tests see new values within seconds. */
  scrapeIntervalSeconds?: number;
  /** Rule files to load (absolute paths). */
  ruleFiles?: string[];
  /** Alertmanager base URLs (http://host:port) to send alerts to. */
  alertmanagers?: string[];
}

export interface RunningPrometheus {
  url: string;
  hostPort: string;
  dir: string;
  child: Child;
  /** Unix seconds at which it became ready. */
  startedAt: number;
  scrapeIntervalSeconds: number;
  /** An instant query, at `timeSeconds` (Unix seconds, fractions allowed) when given. */
  query(expr: string, timeSeconds?: number): Promise<PromResponse>;
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<PromResponse>;
  /** The series of an instant vector query; a failed query throws. */
  vector(expr: string): Promise<VectorSample[]>;
  /** The single value of an instant query returning one series, or undefined when it returns none. */
  scalar(expr: string, timeSeconds?: number): Promise<number | undefined>;
  labelValues(label: string, match: string): Promise<string[]>;
  /** Active (pending or firing) alerts, from /api/v1/alerts. */
  alerts(): Promise<PrometheusAlert[]>;
  /** The tail of Prometheus's own log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

function configFromOptions(options: PrometheusOptions, intervalSeconds: number): string {
  const interval = `${intervalSeconds}s`;
  const config: Record<string, unknown> = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: [{ job_name: 'modelwatch', metrics_path: '/metrics', static_configs: [{ targets: options.targets ?? [] }] }],
  };
  if (options.ruleFiles?.length) config.rule_files = options.ruleFiles;
  if (options.alertmanagers?.length) {
    config.alerting = {
      alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: options.alertmanagers.map((u) => new URL(u).host) }] }],
    };
  }
  return stringify(config);
}

/** Debian's Prometheus on a free loopback port with a throw-away directory for its config and TSDB. */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  if (!fs.existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} not found: install Debian's prometheus package (.ci/run does)`);
  if ((options.config === undefined) === (options.targets === undefined)) throw new Error('startPrometheus needs either targets or config');
  const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 1;
  let dir = '';
  const { child, port } = await startListening((port) => {
    const hostPort = `127.0.0.1:${port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-prom-'));
    const configFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(configFile, options.config ? options.config({ hostPort, dir }) : configFromOptions(options, scrapeIntervalSeconds));
    return {
      name: 'prometheus',
      command: PROMETHEUS_BIN,
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=${hostPort}`,
        '--log.level=warn',
      ],
      ownedDirs: [dir],
      ready: async () => (await fetch(`http://${hostPort}/-/ready`)).ok,
    };
  });
  const hostPort = `127.0.0.1:${port}`;
  const url = `http://${hostPort}`;

  const post = async (pathname: string, params: Record<string, string>): Promise<PromResponse> => {
    const res = await fetch(`${url}${pathname}`, { method: 'POST', body: new URLSearchParams(params) });
    return (await res.json()) as PromResponse;
  };
  const query = (expr: string, timeSeconds?: number) =>
    post('/api/v1/query', { query: expr, ...(timeSeconds === undefined ? {} : { time: String(timeSeconds) }) });
  const vectorAt = async (expr: string, timeSeconds?: number): Promise<VectorSample[]> => {
    const r = await query(expr, timeSeconds);
    if (r.status !== 'success' || r.data.resultType !== 'vector') throw new Error(`${expr}: ${JSON.stringify(r)}`);
    return r.data.result as VectorSample[];
  };

  return {
    url,
    hostPort,
    dir,
    child,
    startedAt: Date.now() / 1000,
    scrapeIntervalSeconds,
    query,
    queryRange: (expr, start, end, step) =>
      post('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }),
    vector: (expr) => vectorAt(expr),
    async scalar(expr, timeSeconds) {
      const result = await vectorAt(expr, timeSeconds);
      if (result.length > 1) throw new Error(`${expr}: expected one series, got ${result.length}`);
      return result.length ? Number(result[0].value[1]) : undefined;
    },
    async labelValues(label, match) {
      const res = await fetch(`${url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`);
      const body = (await res.json()) as { status: string; data?: string[]; error?: string };
      if (body.status !== 'success' || !body.data) throw new Error(`label values ${label} ${match}: ${body.error}`);
      return body.data;
    },
    async alerts() {
      const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { status: string; data: { alerts: PrometheusAlert[] } };
      if (body.status !== 'success') throw new Error(`/api/v1/alerts failed: ${JSON.stringify(body)}`);
      return body.data.alerts;
    },
    log: () => child.tail(),
    async stop() {
      await child.stop();
    },
  };
}
