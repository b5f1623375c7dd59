import { buildForHarness } from '../harness/build';

/**
 * The node-side tests check the real build output, so build it once before any of them run:
 * the plugin (dist/) and the harness host bundle.
 */
export default async function globalSetup(): Promise<void> {
  await buildForHarness();
}
