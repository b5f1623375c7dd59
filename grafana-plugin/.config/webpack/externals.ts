/**
 * Modules Grafana hands to a plugin at load time (its SystemJS registry). The plugin bundle
 * must not contain its own copies: two Reacts or two @grafana/runtime instances would break
 * hooks and the shared backendSrv.
 */
export const GRAFANA_EXTERNALS: readonly (string | RegExp)[] = [
  'react',
  'react-dom',
  'react-router',
  'react-router-dom',
  'rxjs',
  'rxjs/operators',
  'lodash',
  'moment',
  'd3',
  'jquery',
  'emotion',
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/schema',
  '@grafana/i18n',
  '@grafana/e2e-selectors',
];
