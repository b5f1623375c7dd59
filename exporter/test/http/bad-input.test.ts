import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../alerting/alerts.js';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

/**
 * Bad input at every registry, audit, token, webhook and alert endpoint: each gets a 4xx that
 * names the field where there is one, never a 500 or a stack trace, and changes nothing. The
 * requests go out through node:http so that paths reach the server as written: fetch would
 * resolve `%2e%2e` segments before sending them.
 */

interface Reply {
  status: number;
  text: string;
  json: { error?: unknown; details?: unknown } | undefined;
}

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Sent as JSON (with Content-Type: application/json). */
  json?: unknown;
  /** Sent as is; Content-Type application/json unless contentType says otherwise. */
  raw?: string;
  contentType?: string | null;
  token?: 'operator' | 'viewer';
  status: number;
  /** The field the error must name: a details path, or a quoted name in a message. */
  field?: string;
}

const MAX_BODY_BYTES = 256 * 1024;
const HOOK_SECRET = 'bad-input-webhook-secret-0123';
const STACK = /\n\s+at |\.[cm]?[jt]s:\d+|node_modules|Error: /;

function send(
  base: string,
  c: { method: string; path: string; body?: string; contentType?: string | null; token: string },
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${c.token}` };
    if (c.body !== undefined) {
      if (c.contentType !== null) headers['Content-Type'] = c.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(c.body);
    }
    const req = http.request({ host: url.hostname, port: url.port, method: c.method, path: c.path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: Reply['json'];
        try {
          json = JSON.parse(text) as Reply['json'];
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.once('error', reject);
    req.end(c.body);
  });
}

function namesField(reply: Reply, field: string): boolean {
  const details = Array.isArray(reply.json?.details) ? (reply.json.details as { path?: unknown; message?: unknown }[]) : [];
  if (details.some((d) => d.path === field || (typeof d.message === 'string' && d.message.includes(`"${field}"`)))) return true;
  return typeof reply.json?.error === 'string' && reply.json.error.includes(field);
}

const bigString = (n: number) => 'x'.repeat(n);
const alert = (labels: Record<string, unknown>, fingerprint = 'f1') => ({
  status: 'firing',
  labels,
  startsAt: '2026-01-02T03:04:05Z',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint,
});
const alerts = (...list: ReturnType<typeof alert>[]) => ({ ...alertmanagerPayload([]), alerts: list });

const CASES: Case[] = [
  // Bodies: not JSON, not an object, no Content-Type, too large, unknown fields.
  { name: 'invalid JSON', method: 'POST', path: '/api/v1/models', raw: '{"name": ', status: 400 },
  { name: 'empty body', method: 'POST', path: '/api/v1/models', raw: '', status: 400 },
  { name: 'JSON null', method: 'POST', path: '/api/v1/models', raw: 'null', status: 400 },
  { name: 'JSON array', method: 'POST', path: '/api/v1/models', raw: '[]', status: 400 },
  { name: 'deeply nested arrays', method: 'POST', path: '/api/v1/models', raw: `${'['.repeat(20000)}${']'.repeat(20000)}`, status: 400 },
  { name: 'no Content-Type', method: 'POST', path: '/api/v1/models', raw: '{"name":"a"}', contentType: null, status: 415 },
  // Duplicate keys: JSON.parse keeps the last, so a second "staging" silently replaced the first.
  {
    name: 'duplicate key drops a gate',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    raw: '{"staging":{"min_accuracy":0.9},"staging":{}}',
    status: 400,
    field: 'staging',
  },
  {
    name: 'duplicate key spelled with an escape',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    raw: '{"version":"v9","metrics":{"accuracy":0.5,"\\u0061ccuracy":0.99}}',
    status: 400,
    field: 'metrics.accuracy',
  },
  { name: 'text/plain', method: 'PUT', path: '/api/v1/models/m/gates', raw: '{}', contentType: 'text/plain', status: 415 },
  {
    name: 'unsupported charset',
    method: 'POST',
    path: '/api/v1/models',
    raw: '{"name":"a"}',
    contentType: 'application/json; charset=latin1',
    status: 415,
  },
  {
    name: 'body over the limit',
    method: 'POST',
    path: '/api/v1/models',
    json: { name: 'big', description: bigString(MAX_BODY_BYTES) },
    status: 413,
  },
  { name: 'unknown field', method: 'POST', path: '/api/v1/models', json: { name: 'a', extra: 1 }, status: 400, field: 'extra' },
  {
    name: '__proto__ key',
    method: 'POST',
    path: '/api/v1/models',
    raw: '{"name":"p","__proto__":{"admin":true}}',
    status: 400,
    field: '__proto__',
  },

  // Models.
  { name: 'model name missing', method: 'POST', path: '/api/v1/models', json: {}, status: 400, field: 'name' },
  { name: 'model name a number', method: 'POST', path: '/api/v1/models', json: { name: 42 }, status: 400, field: 'name' },
  { name: 'model name huge', method: 'POST', path: '/api/v1/models', json: { name: bigString(10_000) }, status: 400, field: 'name' },
  { name: 'model name ../x', method: 'POST', path: '/api/v1/models', json: { name: '../x' }, status: 400, field: 'name' },
  { name: 'model name with NUL', method: 'POST', path: '/api/v1/models', json: { name: 'a\u0000b' }, status: 400, field: 'name' },
  { name: 'team a number', method: 'POST', path: '/api/v1/models', json: { name: 'a', team: 5 }, status: 400, field: 'team' },
  {
    name: 'description too long',
    method: 'POST',
    path: '/api/v1/models',
    json: { name: 'a', description: bigString(5000) },
    status: 400,
    field: 'description',
  },
  { name: 'model exists', method: 'POST', path: '/api/v1/models', json: { name: 'm' }, status: 409 },
  { name: 'limit not a number', method: 'GET', path: '/api/v1/models?limit=abc', status: 400, field: 'limit' },
  { name: 'limit zero', method: 'GET', path: '/api/v1/models?limit=0', status: 400, field: 'limit' },
  { name: 'limit given twice', method: 'GET', path: '/api/v1/models?limit=1&limit=2', status: 400, field: 'limit' },
  { name: 'limit huge', method: 'GET', path: '/api/v1/models?limit=99999999999', status: 400, field: 'limit' },

  // Path tricks in model and version names.
  { name: 'model ..%2Fx', method: 'GET', path: '/api/v1/models/..%2Fx', status: 400, field: 'model' },
  { name: 'model %2e%2e', method: 'GET', path: '/api/v1/models/%2e%2e/versions', status: 400, field: 'model' },
  { name: 'model .hidden', method: 'GET', path: '/api/v1/models/.hidden', status: 400, field: 'model' },
  { name: 'model %00', method: 'GET', path: '/api/v1/models/%00', status: 400, field: 'model' },
  { name: 'model a%00b', method: 'POST', path: '/api/v1/models/a%00b/versions', json: { version: '1' }, status: 400, field: 'model' },
  { name: 'model bad percent-encoding', method: 'GET', path: '/api/v1/models/%E0%A4%A', status: 400 },
  { name: 'model name huge in path', method: 'GET', path: `/api/v1/models/${bigString(5000)}`, status: 400, field: 'model' },
  { name: 'unknown model', method: 'GET', path: '/api/v1/models/nosuch', status: 404 },
  { name: 'version %2e%2e', method: 'GET', path: '/api/v1/models/m/versions/%2e%2e', status: 400, field: 'version' },
  { name: 'version ..%2F..%2Fetc', method: 'GET', path: '/api/v1/models/m/versions/..%2F..%2Fetc', status: 400, field: 'version' },
  {
    name: 'version %00',
    method: 'POST',
    path: '/api/v1/models/m/versions/%00/transitions',
    json: { to: 'staging', reason: 'r' },
    status: 400,
    field: 'version',
  },
  { name: 'unknown version', method: 'GET', path: '/api/v1/models/m/versions/nosuch', status: 404 },
  { name: 'unknown stage filter', method: 'GET', path: '/api/v1/models/m/versions?stage=prod', status: 400, field: 'stage' },

  // Versions.
  { name: 'version a number', method: 'POST', path: '/api/v1/models/m/versions', json: { version: 1 }, status: 400, field: 'version' },
  { name: 'version ../x', method: 'POST', path: '/api/v1/models/m/versions', json: { version: '../x' }, status: 400, field: 'version' },
  { name: 'version exists', method: 'POST', path: '/api/v1/models/m/versions', json: { version: '1' }, status: 409 },
  {
    name: 'metric a string',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics: { accuracy: 'high' } },
    status: 400,
    field: 'metrics.accuracy',
  },
  {
    name: 'accuracy above 1',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics: { accuracy: 2 } },
    status: 400,
    field: 'metrics.accuracy',
  },
  {
    name: 'metric overflowing to Infinity',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    raw: '{"version":"9","metrics":{"latency_ms":1e400}}',
    status: 400,
    field: 'metrics.latency_ms',
  },
  {
    name: 'metric name with a dash',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics: { 'Bad-Key': 1 } },
    status: 400,
    field: 'metrics.Bad-Key',
  },
  {
    name: 'too many metrics',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`m${i}`, i])) },
    status: 400,
    field: 'metrics',
  },
  {
    name: 'metrics an array',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics: [1, 2] },
    status: 400,
    field: 'metrics',
  },
  {
    name: 'artifact javascript:',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', lineage: { artifact_uri: 'javascript:alert(1)' } },
    status: 400,
    field: 'lineage.artifact_uri',
  },
  {
    name: 'unknown parent',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', lineage: { parent_version: 'nosuch' } },
    status: 400,
    field: 'lineage.parent_version',
  },
  {
    name: 'unknown lineage field',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', lineage: { owner: 'me' } },
    status: 400,
    field: 'owner',
  },
  {
    name: 'hyperparameter __proto__',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    raw: '{"version":"9","lineage":{"hyperparameters":{"__proto__":"x"}}}',
    status: 400,
    field: 'lineage.hyperparameters.__proto__',
  },
  {
    name: 'hyperparameter nested object',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', lineage: { hyperparameters: { a: { b: 1 } } } },
    status: 400,
    field: 'lineage.hyperparameters.a',
  },

  // Transitions.
  {
    name: 'unknown stage',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'prod', reason: 'r' },
    status: 400,
    field: 'to',
  },
  {
    name: 'reason missing',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'staging' },
    status: 400,
    field: 'reason',
  },
  {
    name: 'reason blank',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'staging', reason: '   ' },
    status: 400,
    field: 'reason',
  },
  {
    name: 'reason huge',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'staging', reason: bigString(5000) },
    status: 400,
    field: 'reason',
  },
  {
    name: 'force a string',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'staging', reason: 'r', force: 'yes' },
    status: 400,
    field: 'force',
  },
  {
    name: 'force by an operator',
    method: 'POST',
    path: '/api/v1/models/m/versions/weak/transitions',
    json: { to: 'staging', reason: 'r', force: true },
    token: 'operator',
    status: 403,
  },
  {
    name: 'transition of an unknown version',
    method: 'POST',
    path: '/api/v1/models/m/versions/nosuch/transitions',
    json: { to: 'staging', reason: 'r' },
    status: 404,
  },
  {
    name: 'development to production',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    json: { to: 'production', reason: 'r' },
    status: 409,
  },
  {
    name: 'failing gates',
    method: 'POST',
    path: '/api/v1/models/m/versions/weak/transitions',
    json: { to: 'staging', reason: 'r' },
    status: 422,
  },
  { name: 'transitions limit negative', method: 'GET', path: '/api/v1/models/m/transitions?limit=-1', status: 400, field: 'limit' },

  // Rollback.
  { name: 'rollback without reason', method: 'POST', path: '/api/v1/models/m/rollback', json: {}, status: 400, field: 'reason' },
  {
    name: 'rollback from ../x',
    method: 'POST',
    path: '/api/v1/models/m/rollback',
    json: { reason: 'r', from_version: '../x' },
    status: 400,
    field: 'from_version',
  },
  { name: 'rollback with nothing in production', method: 'POST', path: '/api/v1/models/m/rollback', json: { reason: 'r' }, status: 409 },
  { name: 'rollback of an unknown model', method: 'POST', path: '/api/v1/models/nosuch/rollback', json: { reason: 'r' }, status: 404 },

  // Gates.
  {
    name: 'gate value a string',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    json: { staging: { min_accuracy: 'x' } },
    status: 400,
    field: 'staging.min_accuracy',
  },
  {
    name: 'gate name unknown',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    json: { staging: { bogus: 1 } },
    status: 400,
    field: 'staging.bogus',
  },
  { name: 'gates an array', method: 'PUT', path: '/api/v1/models/m/gates', json: { production: [] }, status: 400, field: 'production' },
  {
    name: 'gates of an unknown stage',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    json: { development: {} },
    status: 400,
    field: 'development',
  },
  { name: 'gates of an unknown model', method: 'PUT', path: '/api/v1/models/nosuch/gates', json: {}, status: 404 },
  // Gates and metrics no version could meet or a version could not have (ranges by metric name, registry/metric-rules.ts).
  ...(
    [
      ['gate max_latency_ms negative', { production: { max_latency_ms: -1 } }, 'production.max_latency_ms'],
      ['gate max_latency_ms beyond a day', { production: { max_latency_ms: 86_400_001 } }, 'production.max_latency_ms'],
      ['gate min_accuracy 1.23e29', { staging: { min_accuracy: 1.23e29 } }, 'staging.min_accuracy'],
      ['gate min_f1 above 1', { staging: { min_f1: 1.5 } }, 'staging.min_f1'],
      ['gate max_rmse negative', { staging: { max_rmse: -1 } }, 'staging.max_rmse'],
      ['gate min_sample_count fractional', { staging: { min_sample_count: 2.5 } }, 'staging.min_sample_count'],
      ['gate on another metric beyond 1e100', { staging: { max_drift: 1e101 } }, 'staging.max_drift'],
    ] as const
  ).map(([name, json, field]): Case => ({ name, method: 'PUT', path: '/api/v1/models/m/gates', json, status: 400, field })),
  ...(
    [
      ['metric p95_latency_ms negative', { p95_latency_ms: -1 }, 'metrics.p95_latency_ms'],
      ['metric latency_ms beyond ingest cap', { latency_ms: 86_400_001 }, 'metrics.latency_ms'],
      ['metric rmse negative', { rmse: -1 }, 'metrics.rmse'],
      ['metric 1e101', { score_x: 1e101 }, 'metrics.score_x'],
      ['metric roc_auc above 1', { roc_auc: 1.01 }, 'metrics.roc_auc'],
      ['metric sample_count negative', { sample_count: -3 }, 'metrics.sample_count'],
    ] as const
  ).map(([name, metrics, field]): Case => ({
    name,
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', metrics },
    status: 400,
    field,
  })),

  // Audit.
  { name: 'audit limit too large', method: 'GET', path: '/api/v1/audit?limit=5000', status: 400, field: 'limit' },
  { name: 'audit before zero', method: 'GET', path: '/api/v1/audit?before=0', status: 400, field: 'before' },
  { name: 'audit before past any id', method: 'GET', path: '/api/v1/audit?before=30000000000', status: 400, field: 'before' },
  { name: 'audit model ../x', method: 'GET', path: '/api/v1/audit?model=..%2Fx', status: 400, field: 'model' },

  // Tokens.
  { name: 'token name missing', method: 'POST', path: '/api/v1/tokens', json: { role: 'viewer' }, status: 400, field: 'name' },
  { name: 'token role unknown', method: 'POST', path: '/api/v1/tokens', json: { name: 'ok', role: 'root' }, status: 400, field: 'role' },
  { name: 'token name ../x', method: 'POST', path: '/api/v1/tokens', json: { name: '../x', role: 'viewer' }, status: 400, field: 'name' },
  {
    name: 'token chosen by the caller',
    method: 'POST',
    path: '/api/v1/tokens',
    json: { name: 'ok', role: 'viewer', token: 'mine' },
    status: 400,
    field: 'token',
  },
  { name: 'token id ..%2Fx', method: 'DELETE', path: '/api/v1/tokens/..%2Fx', status: 400, field: 'id' },
  { name: 'token id %00', method: 'DELETE', path: '/api/v1/tokens/%00', status: 400, field: 'id' },
  { name: 'unknown token', method: 'DELETE', path: '/api/v1/tokens/zzzzzzzzzzzz', status: 404 },

  // Webhooks.
  {
    name: 'webhook url missing',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { events: ['*'], secret: HOOK_SECRET },
    status: 400,
    field: 'url',
  },
  {
    name: 'webhook url a number',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: 5, events: ['*'], secret: HOOK_SECRET },
    status: 400,
    field: 'url',
  },
  {
    name: 'webhook url not a URL',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: 'not a url', events: ['*'], secret: HOOK_SECRET },
    status: 400,
    field: 'url',
  },
  {
    name: 'webhook url huge',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: `http://127.0.0.1/${bigString(3000)}`, events: ['*'], secret: HOOK_SECRET },
    status: 400,
    field: 'url',
  },
  {
    name: 'webhook events a string',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: 'http://127.0.0.1:9/h', events: '*', secret: HOOK_SECRET },
    status: 400,
    field: 'events',
  },
  {
    name: 'webhook secret short',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: 'http://127.0.0.1:9/h', events: ['*'], secret: 'short' },
    status: 400,
    field: 'secret',
  },
  {
    name: 'webhook unknown field',
    method: 'POST',
    path: '/api/v1/webhooks',
    json: { url: 'http://127.0.0.1:9/h', events: ['*'], secret: HOOK_SECRET, active: true },
    status: 400,
    field: 'active',
  },
  { name: 'webhook id ..%2Fx', method: 'DELETE', path: '/api/v1/webhooks/..%2Fx', status: 400, field: 'id' },
  { name: 'webhook id %00', method: 'DELETE', path: '/api/v1/webhooks/%00', status: 400, field: 'id' },
  { name: 'unknown webhook', method: 'DELETE', path: '/api/v1/webhooks/wh_AAAAAAAAAAAA', status: 404 },
  { name: 'no environment webhook to delete', method: 'DELETE', path: '/api/v1/webhooks/env', status: 404 },

  // Alertmanager receiver.
  { name: 'not an Alertmanager payload', method: 'POST', path: '/api/v1/alertmanager/webhook', json: {}, status: 400, field: 'version' },
  {
    name: 'alerts not a list',
    method: 'POST',
    path: '/api/v1/alertmanager/webhook',
    json: { ...alertmanagerPayload([]), alerts: 'x' },
    status: 400,
    field: 'alerts',
  },
  {
    name: 'label not a string',
    method: 'POST',
    path: '/api/v1/alertmanager/webhook',
    json: alerts(alert({ model: 5 })),
    status: 400,
    field: 'alerts[0].labels.model',
  },
  {
    name: 'too many alerts',
    method: 'POST',
    path: '/api/v1/alertmanager/webhook',
    json: alerts(...Array.from({ length: 1001 }, (_, i) => alert({}, `f${i}`))),
    status: 400,
    field: 'alerts',
  },

  // Free text (issue 13, case 12-13): lone surrogates and control characters other than newline
  // and tab are refused in every free-text field with a 400 naming it, on both stores.
  {
    name: 'transition reason with a lone surrogate',
    method: 'POST',
    path: '/api/v1/models/m/versions/1/transitions',
    raw: '{"to":"staging","reason":"ok \\ud800 lone"}',
    status: 400,
    field: 'reason',
  },
  {
    name: 'rollback reason with a lone low surrogate',
    method: 'POST',
    path: '/api/v1/models/m/rollback',
    raw: '{"reason":"bad \\udc00"}',
    status: 400,
    field: 'reason',
  },
  {
    name: 'gates reason with a lone surrogate',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    raw: '{"staging":{"min_accuracy":0.1},"reason":"x \\udbff"}',
    status: 400,
    field: 'reason',
  },
  {
    name: 'model description with NUL',
    method: 'POST',
    path: '/api/v1/models',
    json: { name: 'nulm', description: 'x\u0000y' },
    status: 400,
    field: 'description',
  },
  {
    name: 'version description with an escape character',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', description: 'a\u001b[31mred' },
    status: 400,
    field: 'description',
  },
  {
    name: 'lineage tag with a C1 control',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: '9', lineage: { tags: { team: 'a\u0085b' } } },
    status: 400,
    field: 'lineage.tags.team',
  },
  {
    name: 'webhook description with a lone surrogate',
    method: 'POST',
    path: '/api/v1/webhooks',
    raw: `{"url":"http://127.0.0.1:9/h","events":["*"],"secret":"${HOOK_SECRET}","description":"\\ud83d"}`,
    status: 400,
    field: 'description',
  },
  {
    name: 'prediction feature value with NUL',
    method: 'POST',
    path: '/api/v1/predictions',
    json: { model: 'm', version: '1', events: [{ id: 'a', features: { f: 'x\u0000' }, prediction: 1 }] },
    status: 400,
    field: 'events[0].features.f',
  },
  {
    name: 'prediction class with a lone surrogate',
    method: 'POST',
    path: '/api/v1/predictions',
    raw: '{"model":"m","version":"1","events":[{"id":"a","features":{},"prediction":"\\ud800"}]}',
    status: 400,
    field: 'events[0].prediction',
  },

  // Keys __proto__, constructor and prototype (issue 13, case 14), refused at any depth.
  {
    name: 'gates staging __proto__',
    method: 'PUT',
    path: '/api/v1/models/m/gates',
    raw: '{"staging":{"__proto__":{"x":1}},"production":{"min_accuracy":0.5}}',
    status: 400,
    field: 'staging.__proto__',
  },
  {
    name: 'metrics __proto__',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    raw: '{"version":"vp","metrics":{"__proto__":{"polluted":1}}}',
    status: 400,
    field: 'metrics.__proto__',
  },
  {
    name: 'lineage tag constructor',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: 'vp', lineage: { tags: { constructor: 'x' } } },
    status: 400,
    field: 'lineage.tags.constructor',
  },
  {
    name: 'hyperparameter prototype',
    method: 'POST',
    path: '/api/v1/models/m/versions',
    json: { version: 'vp', lineage: { hyperparameters: { prototype: 1 } } },
    status: 400,
    field: 'lineage.hyperparameters.prototype',
  },
  {
    name: 'feature named constructor',
    method: 'POST',
    path: '/api/v1/predictions',
    json: { model: 'm', version: '1', events: [{ id: 'a', features: { constructor: 1 }, prediction: 1 }] },
    status: 400,
    field: 'events[0].features.constructor',
  },
  {
    name: 'score class __proto__',
    method: 'POST',
    path: '/api/v1/predictions',
    raw: '{"model":"m","version":"1","events":[{"id":"a","features":{},"prediction":"x","scores":{"__proto__":1}}]}',
    status: 400,
    field: 'events[0].scores.__proto__',
  },
  {
    name: 'alert label __proto__',
    method: 'POST',
    path: '/api/v1/alertmanager/webhook',
    raw: JSON.stringify(alerts(alert({ action: 'rollback' }))).replace('"labels":{"action"', '"labels":{"__proto__"'),
    status: 400,
    field: 'alerts[0].labels.__proto__',
  },

  // A missing or empty body (issue 13, case 15) is a 400 on every endpoint that takes one.
  ...(
    [
      ['PUT', '/api/v1/models/m/gates'],
      ['POST', '/api/v1/models'],
      ['POST', '/api/v1/models/m/versions'],
      ['POST', '/api/v1/models/m/versions/1/transitions'],
      ['POST', '/api/v1/models/m/rollback'],
      ['POST', '/api/v1/models/m/archive'],
      ['POST', '/api/v1/tokens'],
      ['POST', '/api/v1/webhooks'],
      ['POST', '/api/v1/alertmanager/webhook'],
      ['POST', '/api/v1/predictions'],
      ['POST', '/api/v1/feedback'],
      ['POST', '/api/v1/kpis'],
      ['PUT', '/api/v1/models/m/versions/1/reference'],
    ] as const
  ).map(([method, path]): Case => ({ name: `empty body: ${method} ${path}`, method, path, raw: '', status: 400, field: '(body)' })),

  // Routes that do not exist.
  { name: 'unknown API path', method: 'GET', path: '/api/v1/nothing', status: 404 },
  // DELETE /models/{model} exists since issue 14 (it needs a reason); DELETE of a version does not.
  { name: 'method not routed', method: 'DELETE', path: '/api/v1/models/m/versions/1', status: 404 },
  { name: 'model delete without a reason', method: 'DELETE', path: '/api/v1/models/m', status: 400, field: 'reason' },
];

function describeBadInput(dialect: string, env: () => Promise<{ env: Record<string, string>; dispose(): Promise<void> }>): void {
  describe(`bad input on ${dialect}`, () => {
    let s: TestServer;
    let dispose: () => Promise<void> = async () => undefined;
    const tokens: Record<string, string> = {};
    const secrets: string[] = [TEST_ADMIN_TOKEN, HOOK_SECRET];

    beforeAll(async () => {
      const e = await env();
      dispose = e.dispose;
      s = await startTestServer({ ...e.env, MODELWATCH_MAX_BODY_BYTES: String(MAX_BODY_BYTES), MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true' });
      const ok = async (res: Promise<Response>) => {
        const r = await res;
        expect(r.status, await r.clone().text()).toBeLessThan(300);
        return r;
      };
      await ok(s.api('/api/v1/models', { method: 'POST', json: { name: 'm' } }));
      await ok(s.api('/api/v1/models/m/versions', { method: 'POST', json: { version: '1', metrics: { accuracy: 0.9, latency_ms: 10 } } }));
      await ok(
        s.api('/api/v1/models/m/versions', { method: 'POST', json: { version: 'weak', metrics: { accuracy: 0.5, latency_ms: 500 } } }),
      );
      for (const role of ['operator', 'viewer'] as const) {
        const created = (await (await ok(s.api('/api/v1/tokens', { method: 'POST', json: { name: `${role}-bot`, role } }))).json()) as {
          token: string;
        };
        tokens[role] = created.token;
        secrets.push(created.token.slice(16));
      }
      await ok(s.api('/api/v1/webhooks', { method: 'POST', json: { url: 'http://127.0.0.1:9/hook', events: ['*'], secret: HOOK_SECRET } }));
    });
    afterAll(async () => {
      await s?.close();
      await dispose();
    });

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const body = c.raw ?? (c.json === undefined ? undefined : JSON.stringify(c.json));
      const reply = await send(s.url, {
        method: c.method,
        path: c.path,
        body,
        contentType: c.contentType,
        token: c.token ? tokens[c.token] : TEST_ADMIN_TOKEN,
      });
      expect(reply.status, reply.text.slice(0, 500)).toBe(c.status);
      expect(typeof reply.json?.error, reply.text.slice(0, 500)).toBe('string');
      expect(reply.text).not.toMatch(STACK);
      if (c.field !== undefined) expect(namesField(reply, c.field), reply.text.slice(0, 500)).toBe(true);
    });

    it('changed nothing: the audit chain holds only the setup, and still verifies', async () => {
      const verify = (await (await s.api('/api/v1/audit/verify', { token: tokens.viewer })).json()) as { ok: boolean; entries: number };
      // model, 2 versions, 2 tokens, 1 webhook
      expect(verify).toEqual({ ok: true, entries: 6 });
      const versions = (await (await s.api('/api/v1/models/m/versions')).json()) as { versions: { version: string; stage: string }[] };
      expect(versions.versions.map((v) => `${v.version}:${v.stage}`)).toEqual(['1:development', 'weak:development']);
    });

    it('returns no token, secret or hash from any GET', async () => {
      const gets = [
        '/api/v1/models',
        '/api/v1/models/m',
        '/api/v1/models/m/versions',
        '/api/v1/models/m/versions/1',
        '/api/v1/models/m/transitions',
        '/api/v1/models/m/gates',
        '/api/v1/audit',
        '/api/v1/audit/verify',
        '/api/v1/tokens',
        '/api/v1/webhooks',
        '/api/v1/openapi.json',
      ];
      for (const p of gets) {
        const res = await s.api(p);
        expect(res.status, p).toBe(200);
        const text = await res.text();
        for (const secret of secrets) expect(text, p).not.toContain(secret);
        expect(text, p).not.toMatch(/secret_hash|secretHash/);
      }
    });
  });
}

describeBadInput('SQLite', async () => ({ env: {}, dispose: async () => undefined }));

if (shouldSkipPostgres()) {
  describe.skip('bad input on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  let pgServer: TestPostgres | undefined;
  describeBadInput('PostgreSQL', async () => {
    pgServer = await startPostgres();
    const url = await pgServer.createDatabase('bad_input');
    return { env: { MODELWATCH_DATABASE_URL: url }, dispose: () => pgServer!.stop() };
  });
}
