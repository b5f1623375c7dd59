import { afterAll, beforeAll, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../src/error-codes.js';
import { startTestServer, type TestServer } from '../helpers/start.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

/** Sends the request and returns [code, status] (checking the status is the catalog's for the code). */
async function codeOf(res: Promise<Response>): Promise<ErrorCode> {
  const r = await res;
  const body = (await r.json()) as { error: unknown; code: ErrorCode };
  if (typeof body.error !== 'string') throw new Error(`${r.status} ${JSON.stringify(body)}`);
  expect(typeof body.error).toBe('string');
  expect([body.code, r.status]).toEqual([body.code, ERROR_CODES[body.code]?.status]);
  return body.code;
}

const json = (body: string, token?: string | null) => ({ method: 'POST', body, headers: { 'Content-Type': 'application/json' }, token });

it('answers every kind of refusal with the catalog code and its status', async () => {
  await s.api('/api/v1/models', { method: 'POST', json: { name: 'm1' } });
  await s.api('/api/v1/models/m1/versions', { method: 'POST', json: { version: 'v1', metrics: { accuracy: 0.5, latency_ms: 10 } } });
  const seen = {
    MW_ERR_INVALID_INPUT: await codeOf(s.api('/api/v1/models', { method: 'POST', json: { name: 7 } })),
    MW_ERR_BODY_REQUIRED: await codeOf(s.api('/api/v1/models', json(''))),
    MW_ERR_BODY_NOT_JSON: await codeOf(s.api('/api/v1/models', json('{"name":'))),
    MW_ERR_PATH_ENCODING: await codeOf(s.api('/api/v1/models/%E0%A4%A')),
    MW_ERR_UNAUTHENTICATED: await codeOf(s.api('/api/v1/models', { token: null })),
    MW_ERR_NOT_FOUND: await codeOf(s.api('/api/v1/models/nope')),
    MW_ERR_NO_ROUTE: await codeOf(s.api('/api/v1/nothing-here')),
    MW_ERR_ALREADY_EXISTS: await codeOf(s.api('/api/v1/models', { method: 'POST', json: { name: 'm1' } })),
    MW_ERR_TRANSITION_NOT_ALLOWED: await codeOf(
      s.api('/api/v1/models/m1/versions/v1/transitions', { method: 'POST', json: { to: 'development', reason: 'x' } }),
    ),
    MW_ERR_NOTHING_TO_ROLL_BACK: await codeOf(s.api('/api/v1/models/m1/rollback', { method: 'POST', json: { reason: 'x' } })),
    MW_ERR_BODY_TOO_LARGE: await codeOf(s.api('/api/v1/predictions', json(`{"pad":"${'x'.repeat(40 * 1024 * 1024)}"}`))),
    MW_ERR_UNSUPPORTED_MEDIA_TYPE: await codeOf(
      s.api('/api/v1/models', { method: 'POST', body: 'name=m2', headers: { 'Content-Type': 'text/plain' } }),
    ),
  };
  // accuracy 0.5 fails the default staging gate
  Object.assign(seen, {
    MW_ERR_GATE_FAILED: await codeOf(
      s.api('/api/v1/models/m1/versions/v1/transitions', { method: 'POST', json: { to: 'staging', reason: 'x' } }),
    ),
  });
  const viewer = (await (await s.api('/api/v1/tokens', { method: 'POST', json: { name: 'v', role: 'viewer' } })).json()) as {
    token: string;
  };
  Object.assign(seen, { MW_ERR_FORBIDDEN: await codeOf(s.api('/api/v1/tokens', { token: viewer.token })) });
  expect(Object.entries(seen).filter(([want, got]) => want !== got)).toEqual([]);
});
