import type { Feature } from '../feature.js';

/** Placeholder until the registry slice lands (issue 4). */
export const registryFeature: Feature = {
  name: 'registry',
  init: async () => ({}),
};
