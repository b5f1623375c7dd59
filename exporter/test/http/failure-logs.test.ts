import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VersionState } from '../../src/ingest/version-state.js';
import { createLogger } from '../../src/logger.js';
import { ClassificationState } from '../../src/stats/index.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { tokenFor } from '../ingest/helpers.js';

/**
 * "A failed batch is logged" (issue 11 §1): the exporter's own logger (createLogger, with its
 * redaction) writes to a stream the test reads, as an operator reads stdout. Each refused
 * request is one error line naming its code, endpoint and the fault behind it — not zero, not
 * one from the journal and another from the error handler — while the client's answer carries
 * neither the fault nor a stack trace, and no line or answer carries the token.
 */

type Line = Record<string, unknown> & { level: number; msg: string };
const STACK = /\n\s+at |\.[cm]?[jt]s:\d+|node_modules/;

function capture() {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

const batch = (from: number, n: number) => ({
  model: 'logged',
  version: 'v1',
  positive_class: 'yes',
  events: Array.from({ length: n }, (_, i) => ({
    id: `e${from + i}`,
    features: { x: from + i },
    prediction: i % 2 ? 'yes' : 'no',
    score: 0.3,
    label: 'yes',
  })),
});
const reference = { features: { x: [1, 2, 3, 4, 5] } };

describe('each failed batch is logged once, with its cause, and answered without it', () => {
  const { lines, log } = capture();
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_CHECKPOINT_SECONDS: '3600' }, { log });
    token = await tokenFor(s, 'ingest');
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: batch(0, 5), token })).status).toBe(200);
    expect((await s.api('/api/v1/models/logged/versions/v1/reference', { method: 'PUT', json: reference, token })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await sql.raw('DROP TRIGGER IF EXISTS mw_test_fail').execute(s.parts.database.db);
  });

  /** Sends the requests at once; returns their answers and the error lines logged meanwhile. */
  async function refused(requests: Array<{ path: string; method: 'POST' | 'PUT'; json: unknown }>) {
    const mark = lines.length;
    const answers = await Promise.all(
      requests.map(async (r) => {
        const res = await s.api(r.path, { method: r.method, json: r.json, token });
        return { status: res.status, text: await res.text() };
      }),
    );
    await new Promise((r) => setImmediate(r));
    return { answers, errors: lines.slice(mark).filter((l) => l.level >= 50) };
  }

  function expectClean(answers: Array<{ status: number; text: string }>, cause: RegExp) {
    for (const a of answers) {
      expect(a.text).not.toMatch(STACK);
      expect(a.text).not.toMatch(cause);
      expect(a.text).not.toContain(token);
    }
  }

  const failStore = (table: string) =>
    sql
      .raw(`CREATE TRIGGER mw_test_fail BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected store failure'); END`)
      .execute(s.parts.database.db);

  it('a predictions batch whose apply throws: one line, MW_ERR_BATCH_NOT_APPLIED, the fault and its stack', async () => {
    vi.spyOn(ClassificationState.prototype, 'add').mockImplementation(() => {
      throw new Error('injected apply fault');
    });
    const { answers, errors } = await refused([{ path: '/api/v1/predictions', method: 'POST', json: batch(100, 3) }]);
    expect(answers.map((a) => a.status)).toEqual([500]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'MW_ERR_BATCH_NOT_APPLIED', method: 'POST', path: '/api/v1/predictions' });
    expect(errors[0].err).toMatchObject({ message: expect.stringContaining('injected apply fault') });
    expect(String((errors[0].err as { stack?: string }).stack)).toMatch(STACK);
    expectClean(answers, /injected/);
  });

  it('a reference whose apply throws: one line', async () => {
    vi.spyOn(VersionState.prototype, 'setReference').mockImplementation(() => {
      throw new Error('injected reference fault');
    });
    const { answers, errors } = await refused([{ path: '/api/v1/models/logged/versions/v1/reference', method: 'PUT', json: reference }]);
    expect(answers.map((a) => a.status)).toEqual([500]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'MW_ERR_BATCH_NOT_APPLIED',
      method: 'PUT',
      path: '/api/v1/models/logged/versions/v1/reference',
    });
    expect(errors[0].err).toMatchObject({ message: expect.stringContaining('injected reference fault') });
    expectClean(answers, /injected/);
  });

  it('batches the journal could not append (one group commit): one line per refused request, with the store error', async () => {
    await failStore('ingest_journal');
    const { answers, errors } = await refused([
      { path: '/api/v1/predictions', method: 'POST', json: batch(200, 2) },
      { path: '/api/v1/predictions', method: 'POST', json: batch(300, 2) },
      { path: '/api/v1/kpis', method: 'POST', json: { model: 'logged', kpis: { revenue: 1 } } },
    ]);
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(e).toMatchObject({ code: 'MW_ERR_JOURNAL_UNAVAILABLE', method: 'POST' });
      expect(e.err).toMatchObject({ message: expect.stringContaining('injected store failure') });
    }
    expect(errors.map((e) => e.path).sort()).toEqual(['/api/v1/kpis', '/api/v1/predictions', '/api/v1/predictions']);
    expectClean(answers, /injected/);
  });

  it('a reference the store refused: one line, with the store error', async () => {
    await failStore('audit_log');
    const { answers, errors } = await refused([{ path: '/api/v1/models/logged/versions/v1/reference', method: 'PUT', json: reference }]);
    expect(answers.map((a) => a.status)).toEqual([503]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'MW_ERR_JOURNAL_UNAVAILABLE', method: 'PUT' });
    expect(errors[0].err).toMatchObject({ message: expect.stringContaining('injected store failure') });
    expectClean(answers, /injected/);
  });

  it('no line anywhere holds the token', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(JSON.stringify(l)).not.toContain(token);
  });
});

describe('a full journal', () => {
  it('answers 503 MW_ERR_JOURNAL_FULL and logs one line per refused request', async () => {
    const { lines, log } = capture();
    // 1 KiB: the first batch below does not fit.
    const s = await startTestServer({ MODELWATCH_JOURNAL_MAX_MB: String(1 / 1024) }, { log });
    try {
      const mark = lines.length;
      const res = await s.api('/api/v1/predictions', { method: 'POST', json: batch(0, 40) });
      expect(res.status).toBe(503);
      expect(await res.text()).not.toMatch(STACK);
      await new Promise((r) => setImmediate(r));
      const errors = lines.slice(mark).filter((l) => l.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'MW_ERR_JOURNAL_FULL', method: 'POST', path: '/api/v1/predictions' });
    } finally {
      await s.close();
    }
  });
});
