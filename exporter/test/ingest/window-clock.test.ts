import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { advanceWindows } from '../../src/ingest/window-clock.js';

describe('the window clock', () => {
  it('slides every version; one whose windows throw is skipped and reported, the others still slide', () => {
    let now = Date.UTC(2030, 0, 1);
    const config = loadConfig({
      MODELWATCH_DATA_DIR: '/tmp',
      MODELWATCH_WINDOW_SECONDS: '120',
      MODELWATCH_WINDOW_RESOLUTION_SECONDS: '60',
      MODELWATCH_SKETCH_RESOLUTION_SECONDS: '60',
    });
    const m = new Monitor(config, () => now);
    for (const model of ['a', 'b', 'c'])
      m.applyPredictions({ model, version: 'v1', events: [{ id: `${model}1`, features: {}, prediction: 'x' }] } as never);
    const broken = m.models.get('b')!.versions.get('v1')!;
    broken.advance = () => {
      throw new Error('injected');
    };
    now += 10 * 60_000;
    const errors: unknown[] = [];
    const log = { error: (o: unknown) => errors.push(o) } as never;
    const failed = new WeakSet<object>();
    expect(advanceWindows(m.models.values(), now, log, failed)).toBe(1);
    expect(advanceWindows(m.models.values(), now, log, failed)).toBe(1);
    expect(errors).toHaveLength(1); // logged once per version
    for (const model of ['a', 'c']) expect(m.models.get(model)!.versions.get('v1')!.windowPredictions.total.count).toBe(0);
    expect(broken.windowPredictions.total.count).toBe(1);
  });
});
