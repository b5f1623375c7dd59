import type { Feature } from '../feature.js';

/** Placeholder until the ingest/statistics slice lands (issue 3). */
export const monitoringFeature: Feature = {
  name: 'monitoring',
  init: async () => ({}),
};
