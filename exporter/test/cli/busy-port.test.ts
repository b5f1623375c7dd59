import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ListenError } from '../../src/http/listen.js';
import { startTestServer } from '../helpers/start.js';
import { runCli } from './run-cli.js';

let holder: net.Server;
let port: number;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-busy-port-'));

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  port = (holder.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('modelwatch serve on a busy port exits 2 with one line naming the port and MODELWATCH_PORT (case 22)', async () => {
  const run = await runCli(['serve'], { MODELWATCH_PORT: String(port), MODELWATCH_HOST: '127.0.0.1', MODELWATCH_DATA_DIR: dataDir });
  expect(run.code).toBe(2);
  expect(run.stdout).not.toContain('listening');
  expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`port ${port} .*already in use.*MODELWATCH_PORT`))]);
});

it('startServer rejects with a ListenError on a busy port', async () => {
  await expect(startTestServer({ MODELWATCH_PORT: String(port) })).rejects.toBeInstanceOf(ListenError);
});
