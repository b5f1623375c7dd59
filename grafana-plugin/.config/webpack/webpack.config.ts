import path from 'node:path';
import fs from 'node:fs';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { GRAFANA_EXTERNALS } from './externals';

export interface BuildEnv {
  production?: boolean;
  development?: boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function readPluginJson(): { id: string; info: { version: string } } {
  return JSON.parse(fs.readFileSync(path.join(SRC, 'plugin.json'), 'utf8'));
}

function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/**
 * The base build every app plugin shares: src/module.tsx -> dist/module.js (AMD, as Grafana's
 * SystemJS loader expects), externals for everything Grafana provides, static files copied
 * beside it with %VERSION% and %TODAY% filled into plugin.json.
 */
export function baseConfig(env: BuildEnv = {}): Configuration {
  const production = Boolean(env.production);
  const pluginId = readPluginJson().id;
  return {
    mode: production ? 'production' : 'development',
    context: ROOT,
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { module: path.join(SRC, 'module.tsx') },
    externals: [...GRAFANA_EXTERNALS],
    output: {
      path: path.join(ROOT, 'dist'),
      filename: '[name].js',
      clean: true,
      library: { type: 'amd' },
      // Lazy chunks are fetched relative to where Grafana serves the plugin.
      publicPath: `public/plugins/${pluginId}/`,
      uniqueName: pluginId,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'] },
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        { test: /\.svg$/, type: 'asset/resource', generator: { filename: 'img/[name][ext]' } },
      ],
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          {
            from: 'plugin.json',
            context: SRC,
            to: '.',
            transform: (content: Buffer) =>
              content
                .toString()
                .replace(/%VERSION%/g, packageVersion())
                .replace(/%TODAY%/g, new Date().toISOString().slice(0, 10)),
          },
          { from: 'img/**/*', context: SRC, to: '.' },
          { from: 'README.md', context: ROOT, to: '.' },
          { from: 'CHANGELOG.md', context: ROOT, to: '.' },
          { from: 'LICENSE', context: ROOT, to: '.' },
        ],
      }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}
