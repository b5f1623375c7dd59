import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPORTER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = path.resolve(EXPORTER_DIR, '..');

/**
 * How tests invoke the real CLI: a separate node process running the TypeScript entry point
 * through tsx, so the tests exercise argument parsing, exit codes and stdout exactly as a
 * CI job sees them, without needing a prior build.
 */
export const CLI_COMMAND = `${process.execPath} --import tsx ${path.join(EXPORTER_DIR, 'src/cli/main.ts')}`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line with no stdin and a clean MODELWATCH_* environment plus `env`. */
export function runProcess(command: string, args: string[], env: Record<string, string> = {}, cwd = EXPORTER_DIR): Promise<CliResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELWATCH_'))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [node, ...nodeArgs] = CLI_COMMAND.split(' ');
  return runProcess(node, [...nodeArgs, ...args], env);
}
