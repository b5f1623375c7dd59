import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

/**
 * Issue 13, case 20: the data file is private to the exporter's user, and no URL the API
 * returns shows a credential.
 */
const QUERY_CREDENTIAL = 'q-credential-7f3a9c2e';
const PATH_CREDENTIAL = 'Xa9fK2mQ7pL4sT8vW1yZ';
const SIGNATURE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('secrets at rest and in answers', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      MODELWATCH_WEBHOOK_URL: `http://127.0.0.1:9/services/T000/${PATH_CREDENTIAL}?token=${QUERY_CREDENTIAL}&channel=ops`,
      MODELWATCH_WEBHOOK_SECRET: 'env-webhook-secret-0123456789',
      MODELWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it('creates the SQLite file and its WAL 0600', async () => {
    // A write makes sure the WAL exists.
    expect((await s.api('/api/v1/models', { method: 'POST', json: { name: 'perm' } })).status).toBe(201);
    const file = path.join(s.dataDir, 'modelwatch.sqlite');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
  });

  it('redacts credentials in the environment webhook URL and in artifact URIs', async () => {
    const list = await (await s.api('/api/v1/webhooks')).text();
    expect(list).not.toContain(QUERY_CREDENTIAL);
    expect(list).not.toContain(PATH_CREDENTIAL);
    expect(JSON.parse(list)).toMatchObject({
      webhooks: [{ id: 'env', url: 'http://127.0.0.1:9/services/T000/REDACTED?token=REDACTED&channel=REDACTED' }],
    });
    const uri = `https://bucket.s3.amazonaws.com/model.tar.gz?X-Amz-Credential=AKIA&X-Amz-Signature=${SIGNATURE}`;
    const reg = await s.api('/api/v1/models/perm/versions', { method: 'POST', json: { version: 'v1', lineage: { artifact_uri: uri } } });
    expect(reg.status).toBe(201);
    for (const text of [await reg.text(), await (await s.api('/api/v1/models/perm/versions/v1')).text()]) {
      expect(text).not.toContain(SIGNATURE);
      expect(text).toContain('https://bucket.s3.amazonaws.com/model.tar.gz?X-Amz-Credential=REDACTED');
    }
  });
});
