import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stderrTail, stopChild, waitUntilReady } from './child';
import { freePort } from './exporter';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

/** What Prometheus's HTTP API answers to /api/v1/query (status, data or error). */
export interface PrometheusQueryResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface RunningPrometheus {
  url: string;
  scrapeIntervalSeconds: number;
  /** An instant query at `timeSeconds` (Unix seconds, fractions allowed), straight to Prometheus. */
  query(expr: string, timeSeconds?: number): Promise<PrometheusQueryResponse>;
  /** The single value of an instant query returning one series, or undefined when it returns none. */
  scalar(expr: string, timeSeconds?: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * Debian's Prometheus on a free loopback port with a throw-away TSDB, scraping `targets` every
 * second (so a test sees new counter values within a couple of seconds).
 */
export async function startPrometheus(targets: string[], scrapeIntervalSeconds = 1): Promise<RunningPrometheus> {
  if (!fs.existsSync(PROMETHEUS_BIN)) throw new Error(`${PROMETHEUS_BIN} not found: install Debian's prometheus package (.ci/run does)`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-harness-prom-'));
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  scrape_timeout: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: modelwatch',
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stderr = stderrTail(child);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, dir);
  await waitUntilReady('prometheus', child, async () => (await fetch(`${url}/-/ready`)).ok, stop, stderr);

  const query = async (expr: string, timeSeconds?: number): Promise<PrometheusQueryResponse> => {
    const form = new URLSearchParams({ query: expr });
    if (timeSeconds !== undefined) form.set('time', String(timeSeconds));
    const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: form });
    return (await res.json()) as PrometheusQueryResponse;
  };

  return {
    url,
    scrapeIntervalSeconds,
    query,
    async scalar(expr, timeSeconds) {
      const r = await query(expr, timeSeconds);
      if (r.status !== 'success' || r.data?.resultType !== 'vector') throw new Error(`${expr}: ${JSON.stringify(r)}`);
      const result = r.data.result as Array<{ value: [number, string] }>;
      if (result.length > 1) throw new Error(`${expr}: expected one series, got ${result.length}`);
      return result.length ? Number(result[0].value[1]) : undefined;
    },
    stop,
  };
}
