import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpositionWriter } from '../../src/collectors/exposition-writer.js';
import { registryCollector } from '../../src/collectors/registry.js';
import { createLogger } from '../../src/logger.js';
import { PositiveClassLookup } from '../../src/registry/positive-class-lookup.js';
import type { RegistryStore, VersionSummary } from '../../src/registry/ports.js';

/**
 * Short-lived caches aged by the wall clock: after the clock steps back (an NTP correction),
 * a value read before the step must not pass for fresh for the size of the step.
 */

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3_600_000;

afterEach(() => vi.restoreAllMocks());

describe('the registry series after the wall clock steps back', () => {
  it('show a rollback made after the step at the next scrape, not hours later', async () => {
    let t = T0;
    vi.spyOn(Date, 'now').mockImplementation(() => t);
    let versions: VersionSummary[] = [
      { model: 'churn', version: 'v1', stage: 'archived', accuracy: 0.9, stageChangedAt: '' },
      { model: 'churn', version: 'v2', stage: 'production', accuracy: 0.9, stageChangedAt: '' },
    ];
    const store = {
      listModels: async () => [{ name: 'churn', team: 'risk' }],
      versionSummaries: async () => versions,
      transitionCounts: async () => [],
      rollbackCounts: async () => [],
    } as unknown as RegistryStore;
    const collector = registryCollector(store, { maxModels: 10, maxVersionsPerModel: 10 }, createLogger('silent'));
    const stageOf = async (version: string) => {
      const out = new ExpositionWriter('prometheus');
      await collector.collect(out);
      const line = out
        .toString()
        .split('\n')
        .find((l) => l.startsWith(`modelwatch_model_stage{model="churn",version="${version}",stage="production"}`));
      return Number(line?.split(' ').pop());
    };
    expect(await stageOf('v2')).toBe(1);
    t -= 2 * HOUR;
    versions = [
      { model: 'churn', version: 'v1', stage: 'production', accuracy: 0.9, stageChangedAt: '' },
      { model: 'churn', version: 'v2', stage: 'archived', accuracy: 0.9, stageChangedAt: '' },
    ];
    t += 2000;
    expect(await stageOf('v2')).toBe(0);
    expect(await stageOf('v1')).toBe(1);
  });
});

describe("the registry's positive class after the wall clock steps back", () => {
  it("is read again after its TTL, not after the TTL plus the step (another replica's change)", async () => {
    let t = T0;
    let positive = 'yes';
    const lookup = new PositiveClassLookup(
      { getModel: async () => ({ positiveClass: positive }) as never },
      () => t,
      () => {},
    );
    expect(await lookup.get('churn')).toBe('yes');
    t -= 2 * HOUR;
    positive = 'approved';
    t += 10_000;
    expect(await lookup.get('churn')).toBe('approved');
  });
});
