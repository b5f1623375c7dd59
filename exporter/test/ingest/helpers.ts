import { afterAll, beforeAll } from 'vitest';
import { generateToken, hashSecret } from '../../src/auth/token-secret.js';
import type { Role } from '../../src/auth/roles.js';
import { startTestServer, type TestServer } from '../helpers/start.js';

/** Creates a token of `role` directly in the store (the registry's token API is another slice). */
export async function tokenFor(s: TestServer, role: Role): Promise<string> {
  const t = generateToken();
  await s.parts.tokens.insert({
    id: t.id,
    name: `test-${role}-${t.id}`,
    role,
    secretHash: hashSecret(t.secret),
    createdAt: new Date().toISOString(),
    createdBy: 'test',
    revokedAt: null,
  });
  return t.token;
}

/** Parses the Prometheus text format into `name{labels}` -> value (labels in exposition order). */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Value of the series `name` whose labels include every given pair; undefined if none. */
export function sample(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(series, name, labels);
  if (found.length > 1) throw new Error(`${found.length} series match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export function samples(
  series: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): Array<{ key: string; value: number }> {
  const out: Array<{ key: string; value: number }> = [];
  for (const [key, value] of series) {
    const brace = key.indexOf('{');
    const n = brace < 0 ? key : key.slice(0, brace);
    if (n !== name) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) out.push({ key, value });
  }
  return out;
}

export async function scrape(s: TestServer): Promise<Map<string, number>> {
  const res = await s.api('/metrics', { token: null });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/** A 400's body: what `details` names (the path of each refused field) and says about it. */
export type Problems = { error: string; code: string; details?: Array<{ path: string; message: string }> };

/** The `details` of a refused request's body (undefined when it has none: the caller's assertions say whether that is right). */
export async function detailsOf(res: Response): Promise<Problems['details']> {
  return ((await res.json()) as Problems).details;
}

/** What `useIngestServer` gives a describe block; read its fields inside tests and hooks, once the server runs. */
export interface IngestServer {
  readonly s: TestServer;
  /** A token of role `ingest`. */
  readonly ingest: string;
  /** A token of role `operator` (only with `{ operator: true }`). */
  readonly operator: string;
  /** POST `json` to `path` with the ingest token. */
  post(path: string, json: unknown): Promise<Response>;
  /** POST a predictions batch `{ model, version: 'v1', events }` with the ingest token. */
  predictions(model: string, events: unknown[]): Promise<Response>;
  scrape(): Promise<Map<string, number>>;
}

/**
 * The setup the ingest route tests share: a server of their own for the describe block, started
 * before its tests and closed after them, with the tokens of the roles they act as. One place
 * for it, so that a change to how a test server starts or a token is made is made once. Further
 * setup (a model's first batch, a reference) stays in the test file's own beforeAll, which runs
 * after this one.
 */
export function useIngestServer(options: { operator?: boolean } = {}): IngestServer {
  let server: TestServer | undefined;
  const tokens: { ingest?: string; operator?: string } = {};
  beforeAll(async () => {
    server = await startTestServer();
    tokens.ingest = await tokenFor(server, 'ingest');
    if (options.operator) tokens.operator = await tokenFor(server, 'operator');
  });
  afterAll(async () => {
    await server?.close();
  });
  // Read lazily: the describe body runs before beforeAll has started anything.
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(
        `useIngestServer: no ${what} (read it inside a test or hook${what === 'operator token' ? ', with { operator: true }' : ''})`,
      );
    return value;
  };
  const fixture: IngestServer = {
    get s() {
      return need(server, 'server');
    },
    get ingest() {
      return need(tokens.ingest, 'ingest token');
    },
    get operator() {
      return need(tokens.operator, 'operator token');
    },
    post: (path, json) => fixture.s.api(path, { method: 'POST', json, token: fixture.ingest }),
    predictions: (model, events) => fixture.post('/api/v1/predictions', { model, version: 'v1', events }),
    scrape: () => scrape(fixture.s),
  };
  return fixture;
}
