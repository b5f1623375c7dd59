import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  model: string | null;
  version: string | null;
  before: unknown;
  after: unknown;
}

// A category no profile summary should ever repeat: the audit log keeps counts and a digest only.
const MARKER = 'zz-raw-category-marker';
const sample = (shift: number) => ({
  features: {
    amount: Array.from({ length: 40 }, (_, i) => 1000.125 + i * 3.5 + shift),
    channel: Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? MARKER : i % 3 === 1 ? 'web' : 'app')),
  },
  predictions: Array.from({ length: 40 }, (_, i) => (i % 2 ? 'fraud' : 'ok')),
});

type Setup = () => Promise<{ env: Record<string, string>; dispose: () => Promise<void> }>;

/** Each accepted reference upload is one audited change; a refused upload leaves no trace. */
function describeReferenceAudit(db: string, setup: Setup) {
  describe(`reference uploads are audited (${db})`, () => {
    let s: TestServer;
    let dispose: () => Promise<void>;
    let ingest: string;

    const audit = async (): Promise<AuditEntry[]> =>
      ((await (await s.api('/api/v1/audit?limit=1000')).json()) as { entries: AuditEntry[] }).entries;
    const put = (version: string, json: unknown) =>
      s.api(`/api/v1/models/fraud/versions/${version}/reference`, { method: 'PUT', json, token: ingest });
    const stored = async (version: string) => (await s.parts.references.list()).find((r) => r.model === 'fraud' && r.version === version);
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

    beforeAll(async () => {
      const db = await setup();
      dispose = db.dispose;
      s = await startTestServer({ ...db.env, MODELWATCH_MAX_VERSIONS_PER_MODEL: '2' });
      const res = await s.api('/api/v1/tokens', { method: 'POST', json: { name: 'trainer', role: 'ingest' } });
      ingest = ((await res.json()) as { token: string }).token;
    }, 120_000);
    afterAll(async () => {
      await s?.close();
      await dispose?.();
    });

    it('records the uploader, the version, counts and the stored profile digest, never the sample', async () => {
      const before = (await audit())[0]?.id ?? 0;
      expect((await put('1', sample(0))).status).toBe(200);
      const first = await stored('1');
      expect((await put('1', sample(7))).status).toBe(200);
      const second = await stored('1');

      const added = (await audit()).filter((e) => e.id > before).reverse();
      expect(added.map((e) => [e.action, e.actor, e.model, e.version])).toEqual([
        ['version.reference', 'token:trainer', 'fraud', '1'],
        ['version.reference', 'token:trainer', 'fraud', '1'],
      ]);
      expect(added[0].before).toBeNull();
      expect(added[0].after).toEqual({ features: 2, dropped_features: 0, samples: 40, profile_sha256: sha256(first!.profileJson) });
      expect(added[0].at).toBe(first!.updatedAt);
      // a replacement names the profile it replaced
      expect(added[1].before).toEqual({ profile_sha256: sha256(first!.profileJson), updated_at: first!.updatedAt });
      expect(added[1].after).toMatchObject({ profile_sha256: sha256(second!.profileJson) });
      expect(sha256(second!.profileJson)).not.toBe(sha256(first!.profileJson));
      const text = JSON.stringify(added);
      expect(text).not.toContain(MARKER);
      expect(text).not.toContain('1000.125');

      const verify = (await (await s.api('/api/v1/audit/verify')).json()) as { ok: boolean; entries: number };
      expect(verify).toMatchObject({ ok: true });
    });

    it('writes nothing for a refused upload (malformed, wrong task, over the version bound)', async () => {
      expect((await put('2', sample(0))).status).toBe(200);
      const lastBefore = (await audit())[0].id;
      const kept = await stored('2');

      expect((await put('2', { features: { amount: [] } })).status).toBe(400);
      expect((await put('2', { ...sample(1), task: 'regression' })).status).toBe(400);
      // the model already holds two versions, the bound set above
      expect((await put('3', sample(1))).status).toBe(422);

      expect((await audit())[0].id).toBe(lastBefore);
      expect(await stored('2')).toEqual(kept);
      expect(await stored('3')).toBeUndefined();
      expect(((await (await s.api('/api/v1/audit/verify')).json()) as { ok: boolean }).ok).toBe(true);
    });

    it('verify (GET /audit/verify and `modelwatch audit verify`) names a profile edited in the database and the entry that logged it', async () => {
      expect((await put('1', sample(3))).status).toBe(200);
      const entry = (await audit())[0];
      expect(entry).toMatchObject({ action: 'version.reference', model: 'fraud', version: '1' });
      const original = (await stored('1'))!.profileJson;
      const edited = JSON.stringify({ ...JSON.parse(original), tampered: true });
      // Behind the exporter's back, as a database administrator could.
      const setProfile = (json: string) =>
        s.parts.database.db
          .updateTable('reference_profiles')
          .set({ profile: json })
          .where('model', '=', 'fraud')
          .where('version', '=', '1')
          .execute();
      const cli = (args: string[]) => runCli(args, { MODELWATCH_URL: s.url, MODELWATCH_TOKEN: TEST_ADMIN_TOKEN });
      await setProfile(edited);
      try {
        const problem = `profile sha256 ${sha256(edited).slice(0, 12)}… differs from ${sha256(original).slice(0, 12)}… logged in audit entry ${entry.id} (version.reference)`;
        const verify = (await (await s.api('/api/v1/audit/verify')).json()) as Record<string, unknown>;
        expect(verify).toMatchObject({
          ok: false,
          unexplained_count: 1,
          unexplained: [{ table: 'reference_profiles', key: 'fraud 1', problem }],
        });
        expect(verify.broken).toBeUndefined();
        const [text, flag] = await Promise.all([cli(['audit', 'verify']), cli(['audit', '--verify'])]);
        for (const r of [text, flag]) {
          expect(r.code, r.stderr).toBe(1);
          expect(r.stdout).toContain('audit log BROKEN: 1 state row(s) the audit log does not explain');
          expect(r.stdout).toContain(`reference_profiles fraud 1: ${problem}`);
        }
      } finally {
        await setProfile(original);
      }
      const intact = await cli(['audit', 'verify']);
      expect([intact.code, intact.stdout]).toEqual([0, expect.stringMatching(/^audit log intact: \d+ entries verified\n$/)]);
      expect((await cli(['audit', 'check'])).code).toBe(2);
    });
  });
}

describeReferenceAudit('SQLite', async () => ({ env: {}, dispose: async () => undefined }));

if (shouldSkipPostgres()) {
  describe.skip('reference audit on PostgreSQL (PostgreSQL not installed)', () => it('needs PostgreSQL', () => undefined));
} else {
  let pgServer: TestPostgres | undefined;
  describeReferenceAudit('PostgreSQL', async () => {
    pgServer = await startPostgres();
    const url = await pgServer.createDatabase('reference_audit');
    return { env: { MODELWATCH_DATABASE_URL: url }, dispose: () => pgServer!.stop() };
  });
}
