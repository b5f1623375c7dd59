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

  it('stores webhook signing secrets encrypted: neither the database file nor its WAL holds one (issue 13)', async () => {
    const secret = 'plain-signing-secret-5e1f9a7c';
    const res = await s.api('/api/v1/webhooks', { method: 'POST', json: { url: 'http://127.0.0.1:9/hook', events: ['*'], secret } });
    expect(res.status).toBe(201);
    const file = path.join(s.dataDir, 'modelwatch.sqlite');
    for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) expect([f, fs.readFileSync(f).includes(secret)]).toEqual([f, false]);
    for (const text of [await res.text(), await (await s.api('/api/v1/webhooks')).text(), await (await s.api('/api/v1/audit')).text()])
      expect(text).not.toContain(secret);
  });

  it('writes no secret or URL credential into the audit log: redacted before hashing, so verify still holds (issue 13)', async () => {
    const signature = 'f00dfeedf00dfeedf00dfeedf00dfeed';
    const awsSecret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    const urlPassword = 'hunter2-url-password';
    const reg = await s.api('/api/v1/models/audited/versions', {
      method: 'POST',
      json: {
        version: 'v1',
        metrics: { accuracy: 0.95, latency_ms: 5 },
        lineage: {
          artifact_uri: `https://bucket.s3.amazonaws.com/m.tar.gz?X-Amz-Signature=${signature}`,
          environment: { AWS_SECRET_ACCESS_KEY: awsSecret, REGION: 'eu-west-1' },
          hyperparameters: { max_tokens: 512 },
        },
      },
    });
    expect(reg.status).toBe(201);
    const moved = await s.api('/api/v1/models/audited/versions/v1/transitions', {
      method: 'POST',
      json: { to: 'staging', reason: `validated, see https://ci:${urlPassword}@ci.example.com/job/7?token=${signature}` },
    });
    expect(moved.status).toBe(200);
    const audit = await (await s.api('/api/v1/audit?model=audited')).text();
    for (const secret of [signature, awsSecret, urlPassword]) expect(audit).not.toContain(secret);
    const entries = (JSON.parse(audit) as { entries: { action: string; after: any; reason: string | null }[] }).entries;
    const registered = entries.find((e) => e.action === 'version.register')!;
    expect(registered.after.lineage).toMatchObject({
      artifact_uri: 'https://bucket.s3.amazonaws.com/m.tar.gz?X-Amz-Signature=REDACTED',
      environment: { AWS_SECRET_ACCESS_KEY: 'REDACTED', REGION: 'eu-west-1' },
      hyperparameters: { max_tokens: 512 },
    });
    expect(entries.find((e) => e.action === 'version.transition')!.reason).toBe(
      'validated, see https://REDACTED:REDACTED@ci.example.com/job/7?token=REDACTED',
    );
    expect(await (await s.api('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});
