import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Express, Router } from 'express';
import type { ExpositionFormat } from '../../collectors/exposition-writer.js';
import type { HttpContext } from '../context.js';
import { BUILD_VERSION } from '../../version.js';

/** What the unauthenticated system endpoints read. */
const gzip = promisify(zlib.gzip);

export interface SystemEndpoints {
  /** Store kind, reported by /readyz. */
  store: string;
  /** Resolves when the store answers (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /** The /metrics body in `format` as chunks of bytes, and its content type. */
  scrape(format: ExpositionFormat): Promise<{ contentType: string; chunks: Buffer[] }>;
}

export function registerSystemRoutes(app: Express, api: Router, ctx: HttpContext, system: SystemEndpoints): void {
  for (const [operationId, path, summary] of SYSTEM_OPERATIONS) {
    ctx.openapi.add({ method: 'get', operationId, path, summary, tag: 'system', responses: { 200: { description: summary } } });
  }
  // A newcomer's `curl localhost:9400/` gets a map instead of a 404.
  app.get('/', (_req, res) => {
    res.json(endpointIndex(ctx.openapi.document(BUILD_VERSION)));
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await system.ping();
      res.json({ status: 'ready', store: system.store });
    } catch {
      res.status(503).json({ status: 'unavailable', store: system.store });
    }
  });

  // Bytes straight to the socket: res.send would hash the ~12 MiB body for an ETag and copy it.
  app.get('/metrics', async (req, res, next) => {
    try {
      const offer = req.accepts(METRICS_OFFERS);
      const openMetrics = typeof offer === 'string' && offer.startsWith('application/openmetrics-text');
      const { contentType, chunks } = await system.scrape(openMetrics ? 'openmetrics' : 'prometheus');
      // The OpenMetrics version the client asked for (0.0.1 and 1.0.0 read the same body).
      res.setHeader('Content-Type', openMetrics ? offer : contentType);
      res.setHeader('Vary', 'Accept, Accept-Encoding');
      // Only when asked: a client that sends no Accept-Encoding gets plain text.
      if (req.headers['accept-encoding'] && req.acceptsEncodings('identity', 'gzip') === 'gzip') {
        // A 1,000-model scrape is ~12 MiB of text; Prometheus asks for gzip. Fastest level: the
        // text compresses ~10x at it, and a higher level costs scrape time for little.
        // Compressed on the thread pool in one piece, sent with its length: no stream to hold
        // the rendered chunks (their storage is reused by the next render) past this request.
        const body = await gzip(Buffer.concat(chunks), { level: zlib.constants.Z_BEST_SPEED });
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', body.length);
        res.end(body);
        return;
      }
      res.setHeader(
        'Content-Length',
        chunks.reduce((n, c) => n + c.length, 0),
      );
      for (const c of chunks.slice(0, -1)) res.write(c);
      res.end(chunks[chunks.length - 1]);
    } catch (err) {
      next(err);
    }
  });

  api.get('/openapi.json', (_req, res) => {
    res.json(ctx.openapi.document(BUILD_VERSION));
  });
}

/**
 * Content negotiation for /metrics, as Prometheus does it: OpenMetrics when the scraper's
 * Accept ranks it first (Prometheus sends `application/openmetrics-text;version=1.0.0,…,
 * text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`), the text format for everything else — no
 * Accept, `*\/*`, or only types we do not speak (an exporter answers rather than 406).
 * The text format is listed first, so `*\/*` alone gets it.
 */
const METRICS_OFFERS = [
  'text/plain; version=0.0.4; charset=utf-8',
  'application/openmetrics-text; version=1.0.0; charset=utf-8',
  'application/openmetrics-text; version=0.0.1; charset=utf-8',
];

/** Unauthenticated GET endpoints, documented here because they are mounted without route(). */
const SYSTEM_OPERATIONS = [
  ['getIndex', '/', 'this index of the endpoints (JSON)'],
  ['getMetrics', '/metrics', 'Prometheus exposition'],
  ['getHealth', '/healthz', 'liveness'],
  ['getReadiness', '/readyz', 'readiness (store reachable; 503 if not)'],
  ['getOpenApiDocument', '/api/v1/openapi.json', 'this API as an OpenAPI 3.1 document'],
] as const;

/**
 * `{service, version, openapi, endpoints: {"METHOD /path": summary}}` — every operation of the
 * OpenAPI document, so the index never lists a route that does not exist.
 */
export function endpointIndex(document: Record<string, unknown>): Record<string, unknown> {
  const endpoints: Record<string, string> = {};
  const paths = document.paths as Record<string, Record<string, { summary?: string }>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) endpoints[`${method.toUpperCase()} ${path}`] = op.summary ?? '';
  }
  const info = document.info as { version: string };
  return { service: 'modelwatch exporter', version: info.version, openapi: '/api/v1/openapi.json', endpoints };
}
