/*
 * The benchmark's HTTP client, run as a child process of bench/main.ts (over its IPC channel)
 * so that building requests, reading 12 MiB responses and the client's garbage do not count
 * against the server being measured. Each command is answered by one message.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { PROCESS_METRIC_NAME } from '../metrics/process-metrics.js';
import { ingestTraffic, type Command, type Reply } from './client-protocol.js';

function request(
  agent: http.Agent,
  url: string,
  token: string,
  method: string,
  body?: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = {
      ...extraHeaders,
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
    };
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let traffic: ReturnType<typeof ingestTraffic> | undefined;

async function ingest(c: Extract<Command, { type: 'ingest' }>): Promise<Reply> {
  traffic ??= ingestTraffic();
  const { references, bodies } = traffic;
  for (let m = 0; m < references.length; m++) {
    const r = await request(agent, `${c.url}/api/v1/models/bench-${m}/versions/v1/reference`, c.token, 'PUT', references[m]);
    if (r.status !== 200) throw new Error(`reference: ${r.status} ${r.body.toString()}`);
  }
  const send = async (n: number) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const body = bodies[next++ % bodies.length];
        const r = await request(agent, `${c.url}/api/v1/predictions`, c.token, 'POST', body);
        if (r.status !== 200) throw new Error(`ingest: ${r.status} ${r.body.toString().slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: c.concurrency }, worker));
  };
  await send(c.warmup);
  const t0 = performance.now();
  await send(c.batches);
  return { type: 'ingest', seconds: (performance.now() - t0) / 1000, batches: c.batches };
}

async function scrape(c: Extract<Command, { type: 'scrape' }>): Promise<Reply> {
  const t0 = performance.now();
  // With gzip: the bytes on the wire, and the time until they are decompressed (as Prometheus does).
  const headers: Record<string, string> = {
    ...(c.gzip ? { 'accept-encoding': 'gzip' } : {}),
    // What Prometheus 2.x sends: OpenMetrics first.
    ...(c.openmetrics ? { accept: PROMETHEUS_ACCEPT } : {}),
  };
  // A kept-alive socket the server closed while idle (5 s keep-alive; the bench renders
  // in-process between scrapes) fails at reuse with ECONNRESET: a GET is safe to send again.
  const r = await request(agent, `${c.url}/metrics`, c.token, 'GET', undefined, headers).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET') throw err;
    return request(agent, `${c.url}/metrics`, c.token, 'GET', undefined, headers);
  });
  if (r.status !== 200) throw new Error(`scrape: ${r.status}`);
  if (c.gzip || c.openmetrics) {
    const text = c.gzip ? zlib.gunzipSync(r.body) : r.body;
    const ms = performance.now() - t0;
    if (c.openmetrics && !text.subarray(-6).equals(Buffer.from('# EOF\n'))) throw new Error('scrape: OpenMetrics body without # EOF');
    return { type: 'scrape', ms, bytes: r.body.length, decodedBytes: text.length };
  }
  const ms = performance.now() - t0;
  if (!c.count) return { type: 'scrape', ms, bytes: r.body.length };
  const series = r.body
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('modelwatch_') && !PROCESS_METRIC_NAME.test(l)).length;
  return { type: 'scrape', ms, bytes: r.body.length, series };
}

if (!process.send) throw new Error('the load generator runs as a child of bench/main.js (node dist/bench/main.js)');
process.on('message', (c: Command) => {
  (c.type === 'ingest' ? ingest(c) : scrape(c)).then(
    (reply) => process.send!(reply),
    (err: unknown) => process.send!({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies Reply),
  );
});
process.on('disconnect', () => {
  agent.destroy();
  process.exit(0);
});
