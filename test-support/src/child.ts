import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from './ports.js';
import { until } from './until.js';

export interface ChildOptions {
  /** Names the child in error messages. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Throw-away directories of the child, removed once it has exited. */
  ownedDirs?: string[];
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved as received. */
  output(): string;
  /** The end of the output, for error messages. */
  tail(chars?: number): string;
  exited(): boolean;
  /** How it ended ("code 1", "signal SIGKILL", a spawn error), for error messages. */
  exitStatus(): string;
  /** Resolves with the first match of `pattern` in the output, waiting up to `timeoutMs` for it. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /**
   * SIGTERM, SIGKILL after 5 s (so a teardown never hangs), then removes the owned directories.
   * Resolves with the exit code (null when a signal ended it); calling it again is harmless.
   */
  stop(): Promise<number | null>;
}

const STOP_GRACE_MS = 5_000;
/** How long to wait after exit for the pipes to drain, so output() is complete after stop(). */
const DRAIN_MS = 1_000;
const BIND_FAILURE = /address already in use|EADDRINUSE/i;
/** A probe that hangs (e.g. another process holds the port and never answers) counts as "not yet". */
const PROBE_TIMEOUT_MS = 2_000;

/** Spawns a child with no stdin, keeping its output; nothing waits for it to be ready. */
export function spawnChild(options: ChildOptions): Child {
  const proc = spawn(options.command, [...options.args], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let spawnError: Error | undefined;
  const keep = (d: Buffer) => (out += d.toString());
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const exit = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => resolve(code));
    // A binary that cannot be spawned emits no 'exit'.
    proc.once('error', (err) => {
      spawnError ??= err;
      out += `\n${err.message}\n`;
      resolve(null);
    });
  });
  const exited = () => spawnError !== undefined || proc.exitCode !== null || proc.signalCode !== null;
  let stopping: Promise<number | null> | undefined;

  const child: Child = {
    name: options.name,
    process: proc,
    output: () => out,
    tail: (chars = 4_000) => out.slice(-chars),
    exited,
    exitStatus: () =>
      spawnError ? `spawn error ${spawnError.message}` : proc.signalCode ? `signal ${proc.signalCode}` : `code ${proc.exitCode}`,
    async waitForOutput(pattern, timeoutMs = 15_000) {
      return until(`${pattern} in the output of ${options.name}`, async () => pattern.exec(out) ?? undefined, {
        timeoutMs,
        intervalMs: 50,
        child,
      });
    },
    stop() {
      stopping ??= (async () => {
        if (!exited()) {
          proc.kill('SIGTERM');
          const killer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
          await exit;
          clearTimeout(killer);
        }
        const code = await exit;
        await Promise.race([closed, new Promise((r) => setTimeout(r, DRAIN_MS))]);
        for (const dir of options.ownedDirs ?? []) fs.rmSync(dir, { recursive: true, force: true });
        return code;
      })();
      return stopping;
    },
  };
  return child;
}

export interface StartOptions extends ChildOptions {
  /** True once the child serves; false or a throw means "not yet". */
  ready: () => Promise<boolean>;
  /** Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * Spawns a child and polls `ready` until it holds. A child that exits or never gets ready is
 * stopped (no process or directory is left behind) and the error carries its output.
 */
export async function startChild(options: StartOptions): Promise<Child> {
  const child = spawnChild(options);
  try {
    const probe = () => Promise.race([options.ready(), new Promise<false>((r) => setTimeout(() => r(false), PROBE_TIMEOUT_MS).unref())]);
    await until(`${options.name} to be ready`, async () => ((await probe()) ? true : undefined), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      child,
    });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return child;
}

/**
 * Starts a child listening on a free loopback port; when another process took the port between
 * probing and binding, starts it again on a new one.
 */
export async function startListening(optionsFor: (port: number) => StartOptions, attempts = 3): Promise<{ child: Child; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { child: await startChild(optionsFor(port)), port };
    } catch (err) {
      if (attempt >= attempts || !BIND_FAILURE.test(String(err))) throw err;
    }
  }
}
