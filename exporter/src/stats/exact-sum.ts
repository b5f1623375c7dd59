/**
 * An exactly represented sum of doubles (Shewchuk's non-overlapping expansion, the algorithm
 * behind Python's `math.fsum`). Adding and removing terms is exact, so a window total that
 * merges a bucket and later subtracts it returns to exactly its former value, and the sum is
 * independent of the order of the terms. `value()` is the correctly rounded sum.
 *
 * Memory is bounded: the partials are non-overlapping doubles, so there are at most ~40 of them
 * whatever the number of terms.
 */
export class ExactSum {
  private readonly partials: number[] = [];

  /**
   * Adds x. Throws RangeError for a non-finite x, or when the sum would overflow a double —
   * in both cases before anything changes (a refused add leaves the sum as it was).
   */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`cannot sum a non-finite value (${x})`);
    const partials = this.partials;
    // Every intermediate sum is at most |x| + Σ|partials|: when that is far from overflowing,
    // update in place; otherwise work on a copy so that a refused add changes nothing.
    let bound = Math.abs(x);
    for (let j = 0; j < partials.length; j++) bound += Math.abs(partials[j]);
    const inPlace = bound < Number.MAX_VALUE / 2;
    const next = inPlace ? partials : ExactSum.scratch;
    if (!inPlace) next.length = 0;
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) next[i++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) throw new RangeError('sum overflowed');
    next.length = i;
    if (!inPlace) {
      partials.length = 0;
      for (const p of next) partials.push(p);
    }
    if (x !== 0) partials.push(x);
  }

  /** Work space of add (sums run one at a time). */
  private static readonly scratch: number[] = [];

  merge(o: ExactSum): void {
    for (const p of o.partials.slice()) this.add(p);
  }

  subtract(o: ExactSum): void {
    for (const p of o.partials.slice()) this.add(-p);
  }

  /** Saves the sum for a rollback (windows/txn.ts); returns what writes it back. */
  saveState(): () => void {
    const partials = this.partials;
    const copy = partials.slice();
    return () => {
      partials.length = copy.length;
      for (let i = 0; i < copy.length; i++) partials[i] = copy[i];
    };
  }

  clear(): void {
    this.partials.length = 0;
  }

  /** The exact sum rounded to the nearest double (ties to even), as `math.fsum` does. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Half-way cases: the remaining partials decide which way to round.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }
}

/**
 * The correctly rounded sum of `xs` (Python's `math.fsum`): the same in any order, so that a
 * mean over classes does not depend on the order in which traffic first showed them (class
 * indices follow first appearance). Throws as ExactSum.add does.
 */
export function exactTotal(xs: Iterable<number>): number {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s.value();
}
