import { describe, expect, it } from 'vitest';
import { ClassificationState, classificationMetrics, ScoreGrid } from '../../src/stats/index.js';

/**
 * Class indices follow the order in which traffic first shows each class, so the same events in
 * another order number the classes differently. Means over classes (macro and weighted precision,
 * recall and F1; multiclass ROC AUC and its bound) must not depend on it: they were summed in
 * index order and differed in the last bits (a fresh attacker: 0.8095420265817846 vs …844).
 */
describe('means over classes do not depend on the order classes first appeared in', () => {
  it('the same multiclass events forward and reversed give bit-identical metrics', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const names = ['ant', 'bee', 'cat', 'dog', 'eel'];
    const events = Array.from({ length: 3000 }, () => {
      const t = Math.floor(rnd() * names.length);
      const raw = names.map((_, c) => rnd() + (c === t ? 1.5 * rnd() : 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      const probs = raw.map((x) => x / sum);
      const p = probs.indexOf(Math.max(...probs));
      return { t: names[t], p: names[p], probs: Object.fromEntries(names.map((n, c) => [n, probs[c]])) };
    });
    const run = (order: typeof events) => {
      const seen: string[] = [];
      const index = (n: string) => (seen.includes(n) ? seen.indexOf(n) : seen.push(n) - 1);
      for (const e of order) {
        index(e.t);
        index(e.p);
      }
      for (const n of names) index(n);
      const s = new ClassificationState('total', true, new ScoreGrid());
      for (const e of order)
        s.add(
          index(e.t),
          index(e.p),
          seen.map((n) => e.probs[n]),
        );
      return { seen, m: classificationMetrics(s, seen)! };
    };
    const forward = run(events);
    const reversed = run([...events].reverse());
    expect(forward.seen).not.toEqual(reversed.seen); // the classes are numbered differently
    expect(reversed.m.macro).toEqual(forward.m.macro);
    expect(reversed.m.weighted).toEqual(forward.m.weighted);
    expect(reversed.m.rocAuc).toBe(forward.m.rocAuc);
    expect(reversed.m.rocAucBound).toBe(forward.m.rocAucBound);
  });
});
