import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startChild, waitFor, type Child } from './processes.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

export type PromResult = { resultType: string; result: unknown };
export type PromResponse = { status: 'success'; data: PromResult } | { status: 'error'; errorType: string; error: string };

export interface RunningPrometheus {
  url: string;
  hostPort: string;
  dir: string;
  child: Child;
  startedAt: number;
  query(expr: string): Promise<PromResponse>;
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<PromResponse>;
  labelValues(label: string, match: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Starts the real Prometheus with `configFor(ownHostPort)` in a temp dir, on a free loopback port. */
export async function startPrometheus(configFor: (hostPort: string, dir: string) => string): Promise<RunningPrometheus> {
  const port = await freePort();
  const hostPort = `127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-dash-prom-'));
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, configFor(hostPort, dir));
  const child = startChild(PROMETHEUS_BIN, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=${hostPort}`,
    '--log.level=warn',
  ]);
  const url = `http://${hostPort}`;
  await waitFor('prometheus /-/ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 30_000, child);
  const api = async (p: string, params: Record<string, string>): Promise<PromResponse> => {
    const res = await fetch(`${url}${p}`, { method: 'POST', body: new URLSearchParams(params) });
    return (await res.json()) as PromResponse;
  };
  return {
    url,
    hostPort,
    dir,
    child,
    startedAt: Date.now() / 1000,
    query: (expr) => api('/api/v1/query', { query: expr }),
    queryRange: (expr, start, end, step) => api('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) }),
    async labelValues(label, match) {
      const res = await fetch(`${url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`);
      const body = (await res.json()) as { status: string; data?: string[]; error?: string };
      if (body.status !== 'success' || !body.data) throw new Error(`label values ${label} ${match}: ${body.error}`);
      return body.data;
    },
    async stop() {
      await child.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Samples in a successful response that carry a number (NaN — e.g. a quantile of no traffic — counts as nothing). */
export function dataPoints(r: PromResult): number {
  if (r.resultType === 'scalar') return (r.result as [number, string])[1] === 'NaN' ? 0 : 1;
  if (r.resultType === 'string') return 1;
  let n = 0;
  for (const s of r.result as Array<{ value?: [number, string]; values?: Array<[number, string]> }>) {
    for (const [, v] of s.values ?? (s.value ? [s.value] : [])) if (v !== 'NaN') n++;
  }
  return n;
}
