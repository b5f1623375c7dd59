import path from 'node:path';
import webpack, { type Configuration } from 'webpack';
import pluginConfig from '../webpack.config';
import harnessConfig from '../harness/webpack.config';

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
 * The node-side tests check the real build output, so build it once before any of them run:
 * the plugin (dist/, exactly what `npm run build` makes) and the harness host bundle.
 */
export default async function globalSetup(): Promise<void> {
  process.chdir(path.resolve(__dirname, '..'));
  await build(pluginConfig({ production: true }), 'plugin');
  await build(harnessConfig(), 'harness host');
}
