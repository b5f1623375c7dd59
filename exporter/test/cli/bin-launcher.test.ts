import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_DIR, runProcess } from './run-cli.js';

const exporterPackage = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'exporter/package.json'), 'utf8')) as {
  bin: Record<string, string>;
};

it('links the modelwatch bin to a committed, executable file, so npm links it before the build (case 21)', () => {
  const bin = `exporter/${exporterPackage.bin.modelwatch}`;
  // npm skips a bin whose file is missing at link time, and links before `prepare` builds dist/.
  const staged = execFileSync('git', ['ls-files', '--stage', '--', bin], { cwd: REPO_DIR, encoding: 'utf8' });
  expect(staged).toMatch(/^100755 /);
});

it('exits 5 (not 1, a gate refusal) naming the fix when dist/ is not built yet', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bin-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(REPO_DIR, 'exporter', exporterPackage.bin.modelwatch), path.join(dir, 'bin/modelwatch.js'));
  const run = await runProcess(process.execPath, [path.join(dir, 'bin/modelwatch.js'), '--help'], {}, dir);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(run.code).toBe(5);
  expect(run.stderr).toContain('npm install');
});

it('runs the built CLI through the launcher', async () => {
  const run = await runProcess(process.execPath, [path.join(REPO_DIR, 'exporter', exporterPackage.bin.modelwatch), '--help'], {}, REPO_DIR);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Usage: modelwatch');
});
