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

  clear(): void {
    this.count = 0;
  }
}
