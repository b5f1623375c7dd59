/** Paths of the repository files and the real Debian binaries these tests drive. */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_DIR = path.resolve(PACKAGE_DIR, '..');
export const TESTS_DIR = path.join(PACKAGE_DIR, 'tests');
export const GENERATED_DIR = path.join(PACKAGE_DIR, 'generated');
export const RUNBOOK = path.join(REPO_DIR, 'docs', 'runbook.md');
export const ALERTMANAGER_CONFIG = path.join(REPO_DIR, 'provisioning', 'alertmanager', 'alertmanager.yml');

export const PROMTOOL = '/usr/bin/promtool';
export const AMTOOL = '/usr/bin/amtool';
export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

/** CI installs these (.ci/run); a missing one is a broken environment, so fail loudly rather than skip. */
export function requireBinary(file: string, debianPackage: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: install the Debian package "${debianPackage}" (see .ci/run)`);
  return file;
}

export function promtoolTestFiles(): string[] {
  return readdirSync(TESTS_DIR)
    .filter((f) => f.endsWith('.test.yml'))
    .sort()
    .map((f) => path.join(TESTS_DIR, f));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

export async function run(file: string, args: readonly string[], cwd = PACKAGE_DIR): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
