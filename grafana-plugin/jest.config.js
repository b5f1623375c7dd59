const base = require('./.config/jest.config');

// Two projects: page/component unit tests in jsdom, and node-side checks (plugin.json schema,
// the built dist/, the browser harness against a real exporter and Chromium).
module.exports = {
  // Builds dist/ and the harness host once; see tests/globalSetup.ts.
  globalSetup: '<rootDir>/tests/globalSetup.ts',
  projects: [
    { ...base, displayName: 'unit' },
    {
      ...base,
      displayName: 'node',
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      // @modelwatch/test-support is ESM TypeScript source with NodeNext `.js` import suffixes.
      moduleNameMapper: { ...base.moduleNameMapper, '^(\\.{1,2}/.*)\\.js$': '$1' },
    },
  ],
};
