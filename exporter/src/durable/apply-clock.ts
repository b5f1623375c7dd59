/**
 * The monitor's clock, which the journal can pin: a journaled batch is applied with the time
 * recorded in its row, both when it is acknowledged and when it is replayed after a crash, so
 * that window buckets, held-label expiry and version idleness come out the same both times.
 */
export class ApplyClock {
  private pinned: number | undefined;

  constructor(private readonly wall: () => number) {}

  /** The pinned time while a journaled apply runs, the wall clock otherwise (ms). */
  readonly now = (): number => this.pinned ?? this.wall();

  /** Runs `fn` (synchronous) with the clock reading `t` ms. */
  pin<T>(t: number, fn: () => T): T {
    const before = this.pinned;
    this.pinned = t;
    try {
      return fn();
    } finally {
      this.pinned = before;
    }
  }
}
