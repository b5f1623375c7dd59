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

export interface ServeProcess {
  url: string;
  /** Everything the process wrote so far, stdout then stderr interleaved as received. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, waiting up to timeoutMs for it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `modelwatch serve` as its own process on a free port (MODELWATCH_PORT=0) and waits
 * for its "listening" log line, which carries the port actually bound.
 */
export function startServe(env: Record<string, string>, timeoutMs = 20_000): Promise<ServeProcess> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MODELWATCH_'))) as Record<string, string>;
  const [node, ...nodeArgs] = CLI_COMMAND.split(' ');
  const child = spawn(node, [...nodeArgs, 'serve'], { cwd: EXPORTER_DIR, env: { ...base, MODELWATCH_PORT: '0', MODELWATCH_HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`modelwatch serve did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (d: string) => {
      output += d;
      const m = /"port":(\d+)[^\n]*modelwatch exporter listening/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        output: () => output,
        async waitFor(pattern, waitMs = 15_000) {
          const deadline = Date.now() + waitMs;
          for (;;) {
            const found = pattern.exec(output);
            if (found) return found;
            if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in the output of modelwatch serve:\n${output}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`modelwatch serve exited with ${code} before listening:\n${output}`));
    });
  });
}
