import type { Mergeable } from './sliding-window.js';

/** A plain event count as a window state. */
export class CountState implements Mergeable<CountState> {
  count = 0;

  add(n = 1): void {
    this.count += n;
  }

  merge(o: CountState): void {
    this.count += o.count;
  }

  subtract(o: CountState): void {
    this.count -= o.count;
  }

  /** Saves the count for a rollback (windows/txn.ts); returns what writes it back. */
  saveState(): () => void {
    const count = this.count;
    return () => {
      this.count = count;
    };
  }

  clear(): void {
    this.count = 0;
  }
}
