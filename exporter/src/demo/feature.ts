import type { Feature } from '../app/feature.js';

/** Placeholder until the demo traffic generator lands with the monitoring slice. */
export const demoTrafficFeature: Feature = {
  name: 'demo-traffic',
  init: async () => ({}),
};
