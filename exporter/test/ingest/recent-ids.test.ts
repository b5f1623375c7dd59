import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/ingest/recent-ids.js';
import type { VersionState } from '../../src/ingest/version-state.js';

describe('RecentIds', () => {
  it('behaves like an insertion-ordered Map whose oldest key is evicted', () => {
    const v = {} as VersionState;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-1)), { maxLength: 3000 }), (ops) => {
        const r = new RecentIds();
        const m = new Map<string, VersionState>();
        for (const op of ops) {
          if (op < 0) {
            const oldest = m.keys().next();
            expect(r.evictOldest()).toBe(!oldest.done);
            if (!oldest.done) m.delete(oldest.value);
          } else {
            const id = `i${op}`;
            expect(r.add(id, v)).toBe(!m.has(id));
            if (!m.has(id)) m.set(id, v);
          }
          expect(r.size).toBe(m.size);
        }
        expect([...r].map(([id]) => id)).toEqual([...m.keys()]);
      }),
    );
  });
});
