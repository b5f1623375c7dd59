import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';
import { runCli, type CliResult } from './run-cli.js';

/**
 * The modelwatch CLI as a CI job runs it: a separate process, talking HTTP to a real
 * exporter, judged by its exit code (0 ok, 1 refused, 2 usage, 3 auth, 4 unreachable) and
 * its stdout.
 */
describe('modelwatch CLI against a real exporter', () => {
  let s: TestServer;
  const outputs: CliResult[] = [];
  let cli: (args: string[], token?: string | null) => Promise<CliResult>;

  beforeAll(async () => {
    s = await startTestServer();
    cli = async (args, token = TEST_ADMIN_TOKEN) => {
      const r = await runCli(args, { MODELWATCH_URL: s.url, ...(token ? { MODELWATCH_TOKEN: token } : {}) });
      outputs.push(r);
      return r;
    };
    // Two models: "churn" with a production history to roll back, "ranker" kept in development.
    const register = (model: string, version: string, accuracy: number, latency: number) =>
      s.api(`/api/v1/models/${model}/versions`, { method: 'POST', json: { version, metrics: { accuracy, latency_ms: latency } } });
    for (const [m, v, a, l] of [
      ['churn', '2.0', 0.9, 20],
      ['churn', '2.1', 0.91, 22],
      ['ranker', '0.1', 0.5, 300],
    ] as const) {
      expect((await register(m, v, a, l)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await s.close();
    // Whatever happened, the bearer token never appears in anything the CLI printed.
    for (const o of outputs) expect(o.stdout + o.stderr).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('exit 0: promotes through gates and rolls back, with --json results', async () => {
    for (const v of ['2.0', '2.1']) {
      for (const to of ['staging', 'production']) {
        const r = await cli(['promote', 'churn', v, '--to', to, '--reason', `ship ${v}`]);
        expect(r.code, r.stderr).toBe(0);
      }
    }
    const versions = await cli(['versions', 'churn', '--json']);
    expect(versions.code).toBe(0);
    const list = JSON.parse(versions.stdout) as { versions: { version: string; stage: string; predecessor: string | null }[] };
    expect(list.versions.map((v) => [v.version, v.stage, v.predecessor])).toEqual([
      ['2.0', 'archived', null],
      ['2.1', 'production', '2.0'],
    ]);

    const rb = await cli(['rollback', 'churn', '--reason', 'latency regression', '--from-version', '2.1', '--json']);
    expect(rb.code, rb.stdout).toBe(0);
    expect(JSON.parse(rb.stdout)).toMatchObject({
      model: 'churn',
      from_version: '2.1',
      to_version: '2.0',
      trigger: 'manual',
      reason: 'latency regression',
      actor: 'admin',
    });
    expect((await (await s.api('/api/v1/models/churn')).json()) as object).toMatchObject({ production_version: '2.0' });

    // The same rollback again: 2.1 is no longer in production, so it is refused and changes nothing.
    const again = await cli(['rollback', 'churn', '--reason', 'latency regression', '--from-version', '2.1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no longer in production/);
    expect((await (await s.api('/api/v1/models/churn')).json()) as object).toMatchObject({ production_version: '2.0' });

    // Taking the production version out with no replacement needs an explicit flag (issue 13).
    const refused = await cli(['promote', 'churn', '2.0', '--to', 'archived', '--reason', 'retire']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/allow_empty_production/);
    expect((await (await s.api('/api/v1/models/churn')).json()) as object).toMatchObject({ production_version: '2.0' });
    const confirmed = await cli(['promote', 'churn', '2.0', '--to', 'staging', '--reason', 'recheck', '--allow-empty-production']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect((await (await s.api('/api/v1/models/churn')).json()) as object).toMatchObject({ production_version: null });
    const back = await cli(['promote', 'churn', '2.0', '--to', 'production', '--reason', 'recheck passed']);
    expect(back.code, back.stderr).toBe(0);

    const human = await cli(['models']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^MODEL\s+TEAM\s+PRODUCTION/m);
    expect(human.stdout).toMatch(/^churn\s+ml\s+2\.0\s/m);
    expect(human.stdout).toMatch(/^ranker\s+ml\s+-\s/m);
  });

  it('exit 1: a quality gate refusal lists every failed gate, in text and in --json', async () => {
    const r = await cli(['promote', 'ranker', '0.1', '--to', 'staging', '--reason', 'try', '--json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.stdout) as { status: number; exit_code: number; details: { gate: string; actual: number }[] };
    expect(body.status).toBe(422);
    expect(body.exit_code).toBe(1);
    expect(body.details.map((d) => [d.gate, d.actual]).sort()).toEqual([
      ['max_latency_ms', 300],
      ['min_accuracy', 0.5],
    ]);
    const text = await cli(['promote', 'ranker', '0.1', '--to', 'staging', '--reason', 'try']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/- max_latency_ms: latency_ms is 300, must be at most 100/);
    expect(text.stderr).toMatch(/- min_accuracy: accuracy is 0\.5, must be at least 0\.8/);
    // a conflict is a refusal too
    const dup = await cli(['register', 'ranker', '0.1', '--accuracy', '0.9']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already registered/);
  });

  it('exit 2: usage errors, caught locally or by the exporter (400/404)', async () => {
    const [badNumber, missingReason, unknownOption, badStage, unknownModel, badName] = await Promise.all([
      cli(['register', 'ranker', '0.2', '--accuracy', 'high']),
      cli(['promote', 'ranker', '0.1', '--to', 'staging']),
      cli(['models', '--colour']),
      cli(['promote', 'ranker', '0.1', '--to', 'heaven', '--reason', 'x', '--json']),
      cli(['versions', 'no_such_model']),
      cli(['register', 'ranker', 'bad/name']),
    ]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--accuracy expects a number');
    expect(missingReason.code).toBe(2);
    expect(missingReason.stderr).toContain("required option '--reason <text>'");
    expect(unknownOption.code).toBe(2);
    expect(badStage.code).toBe(2);
    expect(JSON.parse(badStage.stdout)).toMatchObject({ status: 400, exit_code: 2 });
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.stderr).toMatch(/not found/);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/version name/);
    // nothing was registered by the refused attempts
    const { versions } = (await (await s.api('/api/v1/models/ranker/versions')).json()) as { versions: unknown[] };
    expect(versions).toHaveLength(1);
  });

  it('exit 3: missing, invalid, revoked or underpowered tokens; tokens are managed from the CLI', async () => {
    const created = await cli(['tokens', 'create', 'ci-viewer', '--role', 'viewer', '--json']);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { id: string; token: string; role: string };
    expect(token.role).toBe('viewer');
    expect(token.token).toMatch(/^mw_/);

    const [none, wrong, viewerRead, viewerWrite] = await Promise.all([
      cli(['models'], null),
      cli(['models'], 'mw_aaaaaaaaaaaa_' + 'x'.repeat(43)),
      cli(['models', '--json'], token.token),
      cli(['promote', 'churn', '2.1', '--to', 'staging', '--reason', 'x'], token.token),
    ]);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/MODELWATCH_TOKEN/);
    expect(wrong.code).toBe(3);
    expect(viewerRead.code).toBe(0);
    expect((JSON.parse(viewerRead.stdout) as { models: { name: string }[] }).models.map((m) => m.name)).toEqual(['churn', 'ranker']);
    expect(viewerWrite.code).toBe(3);
    expect(viewerWrite.stderr).toMatch(/needs role operator/);

    const listed = await cli(['tokens', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${token.id}\\s+ci-viewer\\s+viewer`, 'm'));
    expect(listed.stdout).not.toContain(token.token);
    expect((await cli(['tokens', 'revoke', token.id])).code).toBe(0);
    const afterRevoke = await cli(['models'], token.token);
    expect(afterRevoke.code).toBe(3);
  });

  it('exit 4: the exporter cannot be reached', async () => {
    const r = await runCli(['models'], { MODELWATCH_URL: 'http://127.0.0.1:9', MODELWATCH_TOKEN: TEST_ADMIN_TOKEN });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot reach the exporter/);
  });

  it('audit lists entries per model and --verify checks the chain', async () => {
    const [listed, verified] = await Promise.all([cli(['audit', '--model', 'churn', '--json']), cli(['audit', '--verify'])]);
    expect(listed.code).toBe(0);
    const entries = (JSON.parse(listed.stdout) as { entries: { action: string; model: string }[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.model === 'churn')).toBe(true);
    expect(entries.map((e) => e.action)).toContain('model.rollback');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/audit log intact: \d+ entries verified/);
  });

  it('registers from a file with flag overrides (--from-file)', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-cli-')), 'v.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        description: 'nightly',
        metrics: { accuracy: 0.5, f1: 0.7 },
        lineage: { code_commit: 'abc', tags: { team: 'search' } },
      }),
    );
    const r = await cli([
      'register',
      'ranker',
      '0.3',
      '--from-file',
      file,
      '--accuracy',
      '0.88',
      '--latency-ms',
      '12',
      '--tag',
      'run=42',
      '--parent',
      '0.1',
      '--json',
    ]);
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      version: '0.3',
      stage: 'development',
      description: 'nightly',
      metrics: { accuracy: 0.88, f1: 0.7, latency_ms: 12 },
      lineage: { code_commit: 'abc', tags: { team: 'search', run: '42' }, parent_version: '0.1' },
    });
  });
});
