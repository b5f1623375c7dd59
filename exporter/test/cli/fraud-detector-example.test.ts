import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';
import { CLI_COMMAND, REPO_DIR, runProcess } from './run-cli.js';

interface VersionJson {
  version: string;
  stage: string;
  metrics: Record<string, number>;
  lineage: Record<string, unknown>;
  predecessor: string | null;
}

describe('examples/fraud-detector.sh against a real exporter', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('plays the seed story through the CLI and leaves the registry in the expected state', async () => {
    const run = await runProcess(
      'bash',
      [path.join(REPO_DIR, 'examples/fraud-detector.sh')],
      {
        MODELWATCH_URL: s.url,
        MODELWATCH_TOKEN: TEST_ADMIN_TOKEN,
        MODELWATCH_CLI: CLI_COMMAND,
      },
      REPO_DIR,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('all steps behaved as expected');
    // 11 steps, each reported as ok with the exit code it asserted
    expect(run.stdout.match(/^ok {4}/gm)).toHaveLength(11);
    expect(run.stdout).toMatch(/1\.0 -> production refused.*exit 1/);
    expect(run.stdout).toMatch(/1\.2 -> production refused.*exit 1/);
    expect(run.stdout).not.toContain(TEST_ADMIN_TOKEN);

    const model = (await (await s.api('/api/v1/models/fraud_detector')).json()) as { production_version: string | null };
    expect(model.production_version).toBe('1.1');
    const { versions } = (await (await s.api('/api/v1/models/fraud_detector/versions')).json()) as { versions: VersionJson[] };
    expect(versions.map((v) => [v.version, v.stage, v.metrics.accuracy, v.metrics.latency_ms])).toEqual([
      ['1.0', 'staging', 0.82, 45],
      ['1.1', 'production', 0.87, 40],
      ['1.2', 'staging', 0.83, 60],
    ]);
    // lineage from the flags made it into the registry
    expect(versions[1].lineage).toMatchObject({
      data_version: 'transactions-2024-02',
      code_commit: '8b41d07',
      parent_version: '1.0',
      hyperparameters: { max_depth: 8, learning_rate: 0.05 },
    });

    // only the accepted moves are in the history: 1.0→staging, 1.1→staging, 1.1→production, 1.2→staging
    const { transitions } = (await (await s.api('/api/v1/models/fraud_detector/transitions')).json()) as {
      transitions: { version: string; to: string }[];
    };
    expect(transitions.map((t) => `${t.version}>${t.to}`).sort()).toEqual(['1.0>staging', '1.1>production', '1.1>staging', '1.2>staging']);
  });

  it('fails (exit 1), naming each step, when the CLI does not answer as the story says', async () => {
    // A "CLI" that succeeds at everything: the three refusals the story expects do not happen.
    const run = await runProcess(
      'bash',
      [path.join(REPO_DIR, 'examples/fraud-detector.sh')],
      { MODELWATCH_TOKEN: 'unused', MODELWATCH_CLI: 'true' },
      REPO_DIR,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.match(/^FAIL /gm)).toHaveLength(3);
    expect(run.stderr).toMatch(/FAIL {2}1\.0 -> production refused.*expected exit 1, got 0/);
    expect(run.stderr).toMatch(/FAIL {2}1\.2 -> production refused.*expected exit 1, got 0/);
    expect(run.stderr).toMatch(/FAIL {2}rollback refused.*expected exit 1, got 0/);
    expect(run.stderr).toContain('3 step(s) did not behave as expected');
  });

  it('refuses to start without a token', async () => {
    const run = await runProcess('bash', [path.join(REPO_DIR, 'examples/fraud-detector.sh')], { MODELWATCH_CLI: 'true' }, REPO_DIR);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('MODELWATCH_TOKEN');
  });
});

it('examples/fraud-detector.sh exits 5, not 1, when the CLI cannot run at all', async () => {
  const run = await runProcess(
    'bash',
    [path.join(REPO_DIR, 'examples/fraud-detector.sh')],
    { MODELWATCH_TOKEN: 'unused', MODELWATCH_CLI: 'false' },
    REPO_DIR,
  );
  expect(run.code).toBe(5);
  expect(run.stderr).toContain('cannot run the modelwatch CLI');
  expect(run.stdout).not.toContain('ok ');
});
