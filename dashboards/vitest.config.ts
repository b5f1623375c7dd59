import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Live tests start their own Prometheus and exporter on free ports; files run in parallel processes.
    pool: 'forks',
  },
});
