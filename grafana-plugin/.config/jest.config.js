const path = require('node:path');

/**
 * Generated base jest config: jsdom, swc, and the ESM-only packages that @grafana/* pull in,
 * which must be transformed rather than ignored.
 */
const ESM_PACKAGES = [
  'ol',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'rxjs',
  'uuid',
  'marked',
  'react-colorful',
  'monaco-promql',
  '@grafana/[a-z-]+',
  'ua-parser-js',
  'react-calendar',
  'get-user-locale',
  'memoize',
  'mimic-function',
  'date-fns',
  '@wojtekmaj/date-utils',
  'yocto-queue',
];

module.exports = {
  rootDir: path.resolve(__dirname, '..'),
  testEnvironment: 'jsdom',
  setupFilesAfterEnv: [path.resolve(__dirname, 'jest-setup.js')],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': path.resolve(__dirname, 'jest', 'mocks', 'style.js'),
    '\\.(svg|png|jpg)$': path.resolve(__dirname, 'jest', 'mocks', 'file.js'),
  },
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      '@swc/jest',
      {
        sourceMaps: 'inline',
        jsc: {
          parser: { syntax: 'typescript', tsx: true, decorators: false },
          transform: { react: { runtime: 'automatic' } },
        },
      },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
};
