import type { Child } from './child.js';

export interface UntilOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Fail at once when this child exits, and put its output in the error. */
  child?: Child;
}

/**
 * Polls `probe` until it returns something other than undefined (a throw counts as "not yet")
 * and returns that; fails naming `what`, with the probe's last error, after `timeoutMs`.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, options: UntilOptions = {}): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 100, child } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const value = await probe().catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (value !== undefined) return value;
    if (child?.exited()) throw new Error(`${what}: ${child.name} exited with ${child.exitStatus()}\n${child.tail()}`);
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      const output = child ? `\n${child.name} output:\n${child.tail()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}${output}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
