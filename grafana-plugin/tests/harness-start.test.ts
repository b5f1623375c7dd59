import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHarness } from '../harness/server';

/**
 * The harness started by hand the way the README spells it (`npm run harness`, from this
 * workspace) serves the app: it builds its own bundles first, so it never serves a blank page
 * for want of an earlier `npm test`. It builds below HARNESS_BUILD_DIR here, because the other
 * test files read dist/ meanwhile.
 */
jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..');

describe('npm run harness', () => {
  let child: ChildProcess | undefined;
  let buildDir: string;

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      // The npm process group this test started (npm, tsx, the harness and what it started).
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
  });

  it('builds from a clean checkout state and serves the app shell, host bundle and plugin', async () => {
    buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-harness-build-'));
    child = spawn('npm', ['run', 'harness'], {
      cwd: ROOT,
      env: { ...process.env, HARNESS_BUILD_DIR: buildDir },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /harness: (http:\/\/127\.0\.0\.1:\d+)\/a\/modelwatch-app\/models/.exec(output);
        if (m) resolve(m[1]);
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      child?.once('exit', (code) => reject(new Error(`npm run harness exited ${String(code)}:\n${output}`)));
    });
    const shell = await fetch(`${url}/a/modelwatch-app/models`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<script src="/harness/host.js"></script>');
    const host = await fetch(`${url}/harness/host.js`);
    expect(host.status).toBe(200);
    expect((await host.text()).length).toBeGreaterThan(100_000);
    const plugin = await fetch(`${url}/public/plugins/modelwatch-app/module.js`);
    expect(plugin.status).toBe(200);
    expect(await plugin.text()).toMatch(/^\/\*!.*\*\/\s*define\(/s);
  });
});

describe('the harness without its host bundle', () => {
  it('says what is missing and how to build it instead of serving a blank page', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-harness-empty-'));
    const harness = await startHarness({
      pluginDist: path.join(ROOT, 'dist'),
      hostDist: empty,
      settings: { jsonData: {}, secureJsonData: {} },
      role: 'Viewer',
    });
    try {
      const res = await fetch(`${harness.url}/a/modelwatch-app/models`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run harness -w grafana-plugin');
    } finally {
      await harness.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
