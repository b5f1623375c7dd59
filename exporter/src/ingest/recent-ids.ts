import type { VersionState } from './version-state.js';

/**
 * Ids whose label has joined, oldest first, with their version: a FIFO with membership. A Map
 * alone would do, but evicting its oldest key through `keys().next()` walks over every entry
 * deleted before it until V8 compacts the table — the cost grows with the churn. Here the order
 * lives in an array with a moving start (compacted when half of it is dead), so eviction is O(1).
 */
export class RecentIds implements Iterable<[string, VersionState]> {
  private readonly versions = new Map<string, VersionState>();
  private order: Array<string | undefined> = [];
  private start = 0;

  get size(): number {
    return this.versions.size;
  }

  has(id: string): boolean {
    return this.versions.has(id);
  }

  get(id: string): VersionState | undefined {
    return this.versions.get(id);
  }

  /** Adds `id` as the newest; false when it was there already (its version is then replaced). */
  add(id: string, v: VersionState): boolean {
    const before = this.versions.size;
    this.versions.set(id, v);
    if (this.versions.size === before) return false;
    this.order.push(id);
    return true;
  }

  /** Forgets the oldest id; false when empty. */
  evictOldest(): boolean {
    while (this.start < this.order.length) {
      const id = this.order[this.start];
      this.order[this.start++] = undefined;
      if (id !== undefined && this.versions.delete(id)) {
        this.compact();
        return true;
      }
    }
    return false;
  }

  *[Symbol.iterator](): IterableIterator<[string, VersionState]> {
    for (let i = this.start; i < this.order.length; i++) {
      const id = this.order[i];
      if (id !== undefined) yield [id, this.versions.get(id)!];
    }
  }

  private compact(): void {
    if (this.start < 1024 || this.start * 2 < this.order.length) return;
    this.order = this.order.slice(this.start);
    this.start = 0;
  }
}
