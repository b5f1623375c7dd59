/**
 * `docker compose up --build` builds two images (exporter/Dockerfile, grafana-plugin/Dockerfile).
 * No container engine runs here, so their steps run outside Docker (dockerfile-steps.ts) from a
 * context filtered by .dockerignore, with npm offline (the cache the repository's own install
 * filled) and better-sqlite3 compiled from Debian's Node headers instead of downloaded. Only the
 * steps that need the base image's own root are skipped, and the test lists them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startListening, type Child } from '@modelwatch/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './readme-blocks.js';
import { runDockerfile, type RunResult } from './dockerfile-steps.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-dockerfile-'));
// Removing the two built stages (each with a node_modules tree) took over the 120 s hook default on a loaded
// 2-core machine; the removal is cleanup, not what the test checks.
afterAll(() => fs.promises.rm(work, { recursive: true, force: true }), 600_000);

/** What only a container may do: install system packages, touch the image's own root. */
function skip(command: string): string | undefined {
  if (/^apt-get /.test(command)) return 'system packages (Debian here already has python3, make, g++)';
  if (/^mkdir -p \/data && chown /.test(command)) return "the image's data directory";
  return undefined;
}

/** The host's environment minus what `npm run`/`npm test` put in it, plus an offline npm. */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^INIT_CWD$|^NODE_ENV$|^VITEST/.test(k)) env[k] = v;
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((p) => !p.includes('node_modules'))
    .join(path.delimiter);
  return {
    ...env,
    npm_config_offline: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // prebuild-install would download better-sqlite3's binding; compile it from local headers instead.
    npm_config_build_from_source: 'true',
    npm_config_nodedir: '/usr',
  };
}

const prodHeaders = fs.existsSync('/usr/include/node/node_api.h');
if (!prodHeaders)
  console.warn(
    'SKIPPED exporter/Dockerfile build steps: no Node headers in /usr/include/node (Debian package nodejs) to compile better-sqlite3',
  );

/** Names of installed packages under `dir` (node_modules at any depth). */
function installedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const entry of fs.readdirSync(nm)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@') ? fs.readdirSync(path.join(nm, entry)).map((e) => `${entry}/${e}`) : [entry];
      for (const name of scoped) {
        names.add(name);
        walk(path.join(nm, name, 'node_modules'));
      }
    }
  };
  for (const sub of ['node_modules', ...fs.readdirSync(dir).map((d) => path.join(d, 'node_modules'))]) walk(path.join(dir, sub));
  return names;
}

function manifest(rel: string): { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; workspaces?: string[] } {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, rel, 'package.json'), 'utf8')) as ReturnType<typeof manifest>;
}

describe.skipIf(!prodHeaders)('exporter/Dockerfile, run outside Docker', () => {
  let result: RunResult;
  let exporter: Child | undefined;
  afterAll(async () => exporter?.stop());

  it('builds every step but the two that need the image root', () => {
    result = runDockerfile(path.join(REPO_ROOT, 'exporter/Dockerfile'), {
      context: REPO_ROOT,
      work: path.join(work, 'exporter'),
      skip,
      env: buildEnv(),
    });
    expect(result.skipped.map((s) => s.command.split(' ')[0])).toEqual(['apt-get', 'mkdir']);
    expect(result.stages.map((s) => s.name ?? s.base)).toEqual(['build', 'node:20-bookworm-slim']);
  }, 600_000);

  it('leaves every devDependency of every workspace out of the runtime image', () => {
    const runtime = result.stages[1];
    const app = path.join(runtime.root, runtime.workdir);
    const installed = installedPackages(app);
    const root = manifest('.');
    const exporterDeps = Object.keys(manifest('exporter').dependencies ?? {});
    for (const dep of exporterDeps) expect([dep, installed.has(dep)]).toEqual([dep, true]);
    const devOnly = new Set([root, ...(root.workspaces ?? []).map(manifest)].flatMap((m) => Object.keys(m.devDependencies ?? {})));
    for (const dep of exporterDeps) devOnly.delete(dep);
    expect([...devOnly].filter((d) => installed.has(d))).toEqual([]);
    // Nor the sources, tests or other workspaces.
    expect(fs.readdirSync(app).sort()).toEqual(['exporter', 'node_modules']);
    expect(fs.readdirSync(path.join(app, 'exporter')).sort()).toEqual(['dist', 'node_modules', 'package.json']);
  });

  it('serves from the runtime image alone: its ENTRYPOINT starts and /readyz answers', async () => {
    const runtime = result.stages[1];
    const app = path.join(runtime.root, runtime.workdir);
    const [command, ...args] = runtime.entrypoint!;
    const data = fs.mkdtempSync(path.join(work, 'data-'));
    const started = await startListening((port) => ({
      name: 'exporter image',
      command: command === 'node' ? process.execPath : command,
      args: [...args, 'serve'],
      cwd: app,
      env: {
        PATH: process.env.PATH,
        ...runtime.env,
        MODELWATCH_PORT: String(port),
        MODELWATCH_HOST: '127.0.0.1',
        MODELWATCH_DATA_DIR: data,
        MODELWATCH_LOG_LEVEL: 'warn',
      },
      ready: async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    }));
    exporter = started.child;
    const r = await fetch(`http://127.0.0.1:${started.port}/api/v1/openapi.json`);
    expect(r.status).toBe(200);
  });
});

describe('grafana-plugin/Dockerfile, run outside Docker', () => {
  it('builds the app in its build stage and puts it where the Grafana image loads plugins from', () => {
    const result = runDockerfile(path.join(REPO_ROOT, 'grafana-plugin/Dockerfile'), {
      context: REPO_ROOT,
      work: path.join(work, 'grafana'),
      skip,
      env: buildEnv(),
    });
    expect(result.skipped).toEqual([]);
    const grafana = result.stages[result.stages.length - 1];
    expect(grafana.base).toMatch(/^grafana\/grafana:/);
    const pluginsDir = grafana.env.GF_PATHS_PLUGINS;
    expect(pluginsDir).toBeTruthy();
    const pluginId = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'grafana-plugin/src/plugin.json'), 'utf8')) as { id: string }).id;
    const plugin = path.join(grafana.root, pluginsDir, pluginId);
    const built = JSON.parse(fs.readFileSync(path.join(plugin, 'plugin.json'), 'utf8')) as { id: string; info: { version: string } };
    expect(built.id).toBe(pluginId);
    expect(built.info.version).toBe((manifest('grafana-plugin') as { version?: string }).version);
    expect(fs.statSync(path.join(plugin, 'module.js')).size).toBeGreaterThan(10_000);
    // The app's build carries the alert rules' thresholds (src/health/thresholds.ts).
    expect(fs.readFileSync(path.join(plugin, 'module.js'), 'utf8').includes('psiWarning'), 'module.js lacks the rules config').toBe(true);
  }, 600_000);
});
