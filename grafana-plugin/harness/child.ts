import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** The last 4,000 characters the child wrote to stderr, for the error when it fails to start. */
export function stderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  return () => tail;
}

/**
 * Ends a child the harness started and removes its throw-away directory. A child that ignores
 * SIGTERM for 5 s is killed, so a test teardown never hangs on it.
 */
export async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (running()) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (running()) child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Polls `isReady` every 100 ms for up to 30 s. If the child exits or never gets ready it is
 * stopped (so a failed start leaves no process or directory behind) and the error carries its
 * stderr.
 */
export async function waitUntilReady(name: string, child: ChildProcess, isReady: () => Promise<boolean>, stop: () => Promise<void>, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} exited with ${child.exitCode}: ${stderr()}`);
    }
    try {
      if (await isReady()) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} not ready after 30 s: ${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
