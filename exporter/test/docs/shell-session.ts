import { spawn } from 'node:child_process';
import { until } from '@modelwatch/test-support';

/** A shell command line running in its own process group, as in a terminal. */
export interface ShellSession {
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the command has ended by itself. */
  exited: Promise<number | null>;
  /** Ctrl-C: SIGINT to the whole group (npm start and npx leave their node child otherwise), then SIGKILL. */
  stop(): Promise<void>;
}

export function startShell(command: string, env: NodeJS.ProcessEnv, cwd: string): ShellSession {
  const proc = spawn('bash', ['-c', command], { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    output: () => out,
    exited,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      until(`${pattern} in the output of ${command}`, async () => pattern.exec(out) ?? undefined, { timeoutMs, intervalMs: 50 }),
    async stop() {
      signalGroup('SIGINT');
      const killer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
      // npm may exit before its child: make sure nothing of the group survives.
      signalGroup('SIGKILL');
    },
  };
}
