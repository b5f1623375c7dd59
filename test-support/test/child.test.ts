import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, spawnChild, startChild, startListening, until } from '../src/index.js';

const node = process.execPath;
/** A node child that listens on `port` (EADDRINUSE makes it exit 1) and answers 200. */
const listenOn = (port: number) => ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`];
const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

describe('freePort', () => {
  it('gives a port that can be bound on loopback', async () => {
    const port = await freePort();
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(port, '127.0.0.1', resolve));
    expect((srv.address() as net.AddressInfo).port).toBe(port);
    await new Promise((r) => srv.close(r));
  });
});

describe('startChild', () => {
  it('stops a child that never gets ready, removes its directory, and reports its output', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-support-'));
    const marker = `still-booting-${process.pid}-${Date.now()}`;
    const start = startChild({
      name: 'sleeper',
      command: node,
      args: ['-e', `console.log('${marker}'); setInterval(() => {}, 1000)`],
      ownedDirs: [dir],
      ready: async () => false,
      readyTimeoutMs: 500,
    });
    await expect(start).rejects.toThrow(new RegExp(`timed out after 500 ms waiting for sleeper to be ready[^]*${marker}`));
    expect(fs.existsSync(dir)).toBe(false);
    const ps = spawnChild({ name: 'ps', command: 'ps', args: ['-eo', 'args'] });
    await until('ps to finish', async () => (ps.exited() ? true : undefined));
    await ps.stop();
    expect(ps.output()).toContain('ps -eo args');
    expect(ps.output()).not.toContain(marker);
  });

  it('fails at once, with the exit status, when the child exits before it is ready', async () => {
    const started = Date.now();
    await expect(
      startChild({
        name: 'crasher',
        command: node,
        args: ['-e', 'console.error("bad config"); process.exit(3)'],
        ready: async () => false,
      }),
    ).rejects.toThrow(/crasher exited with code 3[^]*bad config/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails with the spawn error when the binary does not exist', async () => {
    await expect(startChild({ name: 'ghost', command: '/nonexistent/binary', args: [], ready: async () => false })).rejects.toThrow(
      /ghost exited with spawn error[^]*ENOENT/,
    );
  });

  it('kills a child that ignores SIGTERM, and stop() can be called twice', async () => {
    const stubborn = spawnChild({
      name: 'stubborn',
      command: node,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'],
    });
    await stubborn.waitForOutput(/up/);
    const pid = stubborn.process.pid;
    expect(await stubborn.stop()).toBeNull();
    expect(stubborn.exitStatus()).toBe('signal SIGKILL');
    expect(alive(pid)).toBe(false);
    expect(await stubborn.stop()).toBeNull();
  });

  it('returns the exit code of a child that ends on SIGTERM, with its output complete', async () => {
    const polite = spawnChild({
      name: 'polite',
      command: node,
      args: ['-e', 'process.on("SIGTERM", () => { console.log("bye"); process.exit(0); }); console.log("up"); setInterval(() => {}, 1000)'],
    });
    await polite.waitForOutput(/up/);
    expect(await polite.stop()).toBe(0);
    expect(polite.output()).toBe('up\nbye\n');
  });
});

describe('startListening', () => {
  it('starts again on another port when the first one was taken in between', async () => {
    const squatters: net.Server[] = [];
    const tried: number[] = [];
    const { child, port } = await startListening((p) => {
      tried.push(p);
      if (tried.length === 1) {
        const squatter = net.createServer().listen(p, '127.0.0.1');
        squatters.push(squatter);
      }
      return { name: 'listener', command: node, args: listenOn(p), ready: async () => (await fetch(`http://127.0.0.1:${p}/`)).ok };
    });
    try {
      expect(tried).toHaveLength(2);
      expect(port).toBe(tried[1]);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    } finally {
      await child.stop();
      for (const s of squatters) s.close();
    }
  });
});

describe('until', () => {
  it('returns the first defined value, false included', async () => {
    let n = 0;
    expect(await until('the third try', async () => (++n === 3 ? false : undefined), { intervalMs: 1 })).toBe(false);
    expect(n).toBe(3);
  });

  it('names what it waited for and the last error', async () => {
    await expect(
      until(
        'the moon',
        async () => {
          throw new Error('no moon yet');
        },
        { timeoutMs: 50, intervalMs: 5 },
      ),
    ).rejects.toThrow('timed out after 50 ms waiting for the moon (last error: Error: no moon yet)');
  });
});
