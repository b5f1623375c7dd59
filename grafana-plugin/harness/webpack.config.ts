import path from 'node:path';
import type { Configuration } from 'webpack';

/**
 * Bundles the harness host (the real react, react-router-dom, rxjs, @emotion/css and
 * @grafana/* packages plus the host shell) into harness/dist/host.js. Development mode: no
 * minification, which keeps this build quick; the bundle only ever runs in the test browser.
 */
export default (): Configuration => ({
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { host: path.join(__dirname, 'host', 'index.tsx') },
  output: { path: path.join(__dirname, 'dist'), filename: '[name].js', publicPath: '/harness/', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  module: {
    rules: [
      // @grafana/ui's ESM imports `ol/format/WKT` without an extension.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } },
          },
        },
      },
      { test: /\.css$/, type: 'asset/source' },
      { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/inline' },
    ],
  },
  performance: { hints: false },
  stats: 'errors-warnings',
});
