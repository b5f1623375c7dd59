import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@modelwatch/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../cli/run-cli.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';
import { codeBlocks, REPO_ROOT, shellCommands, type CodeBlock } from './readme-blocks.js';
import { startShell, type ShellSession } from './shell-session.js';

/**
 * Each shell block of the READMEs, by its first command, and the test that runs it. A block
 * added to a README without a test here fails the first test below.
 */
const COVERED: Record<string, string> = {
  'npm install && npm start': 'this file: npm start',
  'docker compose up --build':
    'dashboards/test/provisioning.test.ts (docker-compose config, derived tokens), test/docs/dockerfile-build.test.ts (both images) and this file',
  'MODELWATCH_TOKEN=<admin token> npx modelwatch tokens create': 'this file: sending events',
  'curl -sS -X POST http://localhost:9400/api/v1/predictions': 'this file: sending events',
  'npx modelwatch models': 'this file: registering and promoting from CI',
  'npx modelwatch serve &': 'this file: examples/fraud-detector.sh',
  'modelwatch register churn 2.2': 'this file: the CLI in a pipeline',
  'pip install ./clients/python': 'clients/python/tests/test_packaging.py and test_readme.py (pytest, run by npm test)',
};

const shellBlocks = (file: string) => codeBlocks(file).filter((b) => b.lang === 'sh');
const block = (file: string, heading: string): CodeBlock => {
  const found = shellBlocks(file).find((b) => b.heading === heading);
  if (!found) throw new Error(`no sh block under "${heading}" in ${file}`);
  return found;
};
const blocks = (file: string, heading: string): CodeBlock[] => shellBlocks(file).filter((b) => b.heading === heading);
const firstCommand = (b: CodeBlock) => shellCommands(b.code)[0];

it('runs every shell block of README.md and examples/README.md in a test', () => {
  const blocks = [...shellBlocks('README.md'), ...shellBlocks('examples/README.md')];
  const uncovered = blocks.map(firstCommand).filter((cmd) => !Object.keys(COVERED).some((k) => cmd.startsWith(k)));
  expect(uncovered).toEqual([]);
});

describe('README commands against a real exporter', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('sending events: an ingest token created as the README says, then the curl commands are accepted', async () => {
    const [create, send] = blocks('README.md', 'Sending events from a model server');
    const created = await runProcess(
      'bash',
      ['-c', create.code.replace('<admin token>', TEST_ADMIN_TOKEN)],
      { MODELWATCH_URL: s.url },
      REPO_ROOT,
    );
    expect(created.code).toBe(0);
    const ingestToken = created.stdout.trim().split('\n').at(-1)!;
    expect(ingestToken).toMatch(/^mw_/);
    const code = send.code.replaceAll('http://localhost:9400', s.url);
    const run = await runProcess('bash', ['-euo', 'pipefail', '-c', code], { MODELWATCH_TOKEN: ingestToken }, REPO_ROOT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/"error"/);
    const metrics = await (await s.api('/metrics')).text();
    expect(metrics).toMatch(/modelwatch_predictions_total\{[^}]*model="churn_classifier"[^}]*\} 1/);
  });

  it('registering and promoting from CI: each npx modelwatch command exits as documented', async () => {
    const commands = shellCommands(block('README.md', 'Registering and promoting from CI').code);
    const env = { MODELWATCH_URL: s.url, MODELWATCH_TOKEN: TEST_ADMIN_TOKEN, GIT_SHA: '3f9a1c2', BUILD_ID: '41' };
    const codes: number[] = [];
    for (const command of commands) {
      const run = await runProcess('bash', ['-c', command], env, REPO_ROOT);
      codes.push(run.code ?? -1);
    }
    // models, register, promote → staging, promote → production, rollback (v3 has no predecessor: refused), status
    expect(codes).toEqual([0, 0, 0, 0, 1, 0]);
    const model = (await (await s.api('/api/v1/models/churn_classifier')).json()) as { production_version: string | null };
    expect(model.production_version).toBe('v3');
  });
});

describe('README commands that start the exporter themselves', () => {
  let child: ShellSession | undefined;
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-readme-'));
  });
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('README: npm start prints where it listens, the data, the token and three next commands that work', async () => {
    const [first] = shellCommands(block('README.md', 'modelwatch').code);
    expect(first).toMatch(/^npm install && npm start\b/);
    // `npm install` is CI's `npm ci` (see .ci/run); this runs the second half as written.
    const port = await freePort();
    const env = { ...cleanEnv(), MODELWATCH_PORT: String(port), MODELWATCH_DATA_DIR: path.join(dataDir, 'start') };
    child = startShell('npm start', env, REPO_ROOT);
    const [, next] = await child.waitForOutput(/Try next:\n((?: {2}.*\n){3})/, 30_000);
    const output = child.output();
    expect(output).toContain(`listening on http://0.0.0.0:${port} (MODELWATCH_HOST, MODELWATCH_PORT)`);
    expect(output).toContain(`data:  ${path.join(dataDir, 'start', 'modelwatch.sqlite')} (SQLite;`);
    const [, token] = /Generated bootstrap admin token[^\n]*\n\s+(mw_\S+)/.exec(output)!;
    for (const command of next.trim().split('\n')) {
      const run = await runProcess('bash', ['-c', command.trim().replace('<the admin token above>', token)], {}, REPO_ROOT);
      expect([command, run.code, run.stderr]).toEqual([command, 0, expect.not.stringMatching(/error/i)]);
      expect(run.stdout).not.toBe('');
    }
    const curl = await runProcess('bash', ['-c', `curl -sS localhost:${port}/metrics`], {}, REPO_ROOT);
    expect(curl.code).toBe(0);
    expect(curl.stdout).toMatch(/^modelwatch_predictions_total\{/m);
  });

  it('examples/README.md: npx modelwatch serve, then examples/fraud-detector.sh with the printed token', async () => {
    const [serve, exportLine, script] = shellCommands(
      block('examples/README.md', '`fraud-detector.sh` — the registry from CI, through the `modelwatch` CLI').code,
    );
    const port = await freePort();
    const env = {
      ...cleanEnv(),
      MODELWATCH_PORT: String(port),
      MODELWATCH_DATA_DIR: path.join(dataDir, 'example'),
      MODELWATCH_LOG_LEVEL: 'warn',
    };
    child = startShell(serve.replace(/\s*&.*$/, ''), env, REPO_ROOT);
    const [, token] = await child.waitForOutput(/admin token[^\n]*\n\s+(\S+)/, 30_000);
    const rest = `${exportLine.replace('<operator or admin token>', token).replace(':9400', `:${port}`)}\n${script}`;
    const run = await runProcess('bash', ['-euo', 'pipefail', '-c', rest], {}, REPO_ROOT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('all steps behaved as expected');
  });
});

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELWATCH_')));
}

describe('examples/README.md: the CLI in a pipeline', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('runs with modelwatch on the PATH (as after npm install) and exits as documented', async () => {
    const commands = shellCommands(block('examples/README.md', 'The CLI in a pipeline').code);
    const env = {
      PATH: `${path.join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
      MODELWATCH_URL: s.url,
      MODELWATCH_TOKEN: TEST_ADMIN_TOKEN,
      GIT_SHA: '3f9a1c2',
      CI_JOB_ID: '77',
    };
    const failed = [];
    for (const command of commands) {
      const run = await runProcess('bash', ['-c', command], env, REPO_ROOT);
      if (run.code !== 0) failed.push({ command, ...run });
    }
    expect(failed).toEqual([]);
    const model = (await (await s.api('/api/v1/models/churn')).json()) as { production_version: string | null };
    expect(model.production_version).toBe('2.2');
  });
});
