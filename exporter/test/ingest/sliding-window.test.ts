import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountState } from '../../src/windows/count-state.js';
import { SlidingWindow } from '../../src/windows/sliding-window.js';

describe('SlidingWindow', () => {
  it('keeps exactly the observations of the last bucketCount buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5 })), { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (steps, buckets) => {
          const bucketMs = 60;
          const w = new SlidingWindow(() => new CountState(), bucketMs, buckets);
          let now = 0;
          const log: Array<{ t: number; n: number }> = [];
          for (const [dt, n] of steps) {
            now += dt;
            w.advance(now);
            // observations sometimes carry a past timestamp
            const t = now - (n % 2) * bucketMs * 2;
            const b = w.bucketAt(t);
            const epoch = Math.floor(now / bucketMs);
            const inWindow = Math.floor(t / bucketMs) > epoch - buckets;
            expect(b !== undefined).toBe(inWindow);
            if (b) {
              b.add(n);
              w.total.add(n);
              log.push({ t, n });
            }
            const oldest = epoch - buckets + 1;
            const expected = log.filter((o) => Math.floor(o.t / bucketMs) >= oldest).reduce((a, o) => a + o.n, 0);
            expect(w.total.count).toBe(expected);
          }
        },
      ),
    );
  });

  it('allocates every bucket up front', () => {
    let made = 0;
    const w = new SlidingWindow(() => (made++, new CountState()), 1000, 60);
    expect(made).toBe(61);
    for (let t = 0; t < 10 * 3600_000; t += 7_000) {
      w.advance(t);
      w.bucketAt(t)!.add();
      w.total.add();
    }
    expect(made).toBe(61);
    expect(w.total.count).toBeLessThanOrEqual(Math.ceil(60_000 / 7_000) + 1);
  });
});
