import path from 'node:path';
import webpack, { type Configuration } from 'webpack';
import pluginConfig from '../webpack.config';
import harnessConfig from './webpack.config';

function build(config: Configuration, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(`${what} build failed:\n${stats.toString('errors-only')}`));
      resolve();
    });
  });
}

/**
 * Builds what the harness serves: the plugin's dist/ (exactly what `npm run build` makes) and the
 * harness host bundle harness/dist/host.js (the Grafana stand-in's shared modules). Both the tests'
 * global set-up and `npm run harness` call it, so neither serves a stale or missing bundle.
 */
export async function buildForHarness(dirs: HarnessDirs = DEFAULT_DIRS): Promise<void> {
  const cwd = process.cwd();
  // The plugin's webpack config resolves src/ and .config/ from the workspace directory.
  process.chdir(path.resolve(__dirname, '..'));
  try {
    const plugin = pluginConfig({ production: true });
    const host = harnessConfig();
    await build({ ...plugin, output: { ...plugin.output, path: dirs.pluginDist } }, 'plugin');
    await build({ ...host, output: { ...host.output, path: dirs.hostDist } }, 'harness host');
  } finally {
    process.chdir(cwd);
  }
}

export interface HarnessDirs {
  /** The built plugin (what `npm run build` writes to dist/). */
  pluginDist: string;
  /** The harness host bundle. */
  hostDist: string;
}

export const DEFAULT_DIRS: HarnessDirs = {
  pluginDist: path.resolve(__dirname, '..', 'dist'),
  hostDist: path.resolve(__dirname, 'dist'),
};

/**
 * Where `npm run harness` builds: dist/ and harness/dist/ by default, or below
 * `HARNESS_BUILD_DIR` when set (so a test can start the harness while other tests read dist/).
 */
export function harnessDirs(env: NodeJS.ProcessEnv = process.env): HarnessDirs {
  const root = env.HARNESS_BUILD_DIR;
  return root ? { pluginDist: path.join(root, 'plugin'), hostDist: path.join(root, 'host') } : DEFAULT_DIRS;
}
