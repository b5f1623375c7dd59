/** Upper bounds (seconds) of the age buckets of predictions waiting for a label; +Inf follows. */
export const PENDING_AGE_BOUNDS_SECONDS = [60, 300, 900, 3600, 21600, 86400] as const;

const SLOT_MS = 60_000;
/** Minute slots kept: the largest finite bound, plus the current minute. */
const SLOTS = PENDING_AGE_BOUNDS_SECONDS[PENDING_AGE_BOUNDS_SECONDS.length - 1] / 60 + 1;
const BOUND_MINUTES = PENDING_AGE_BOUNDS_SECONDS.map((s) => s / 60);

/**
 * Predictions of one version waiting for their label, counted by age, with O(1) work per
 * prediction added or removed and O(#bounds) per minute that passes — never a scan of the
 * pending map. Ages are in whole minutes: a prediction made in minute e has, in minute h,
 * age h − e minutes, and is in the first bucket whose bound (in minutes) is ≥ that age.
 * Memory: one Uint32Array of 1,441 minute slots, allocated with the first pending prediction.
 */
export class PendingAges {
  private slots?: Uint32Array;
  /** bands[i]: predictions whose age is in bucket i (the last one: older than every bound). */
  private readonly bands = new Float64Array(PENDING_AGE_BOUNDS_SECONDS.length + 1);
  private head = -Infinity;

  /** Total pending predictions of the version. */
  get total(): number {
    let n = 0;
    for (const b of this.bands) n += b;
    return n;
  }

  /** Cumulative counts: [i] = predictions with age ≤ PENDING_AGE_BOUNDS_SECONDS[i]; last = all. */
  cumulative(): number[] {
    const out: number[] = [];
    let n = 0;
    for (const b of this.bands) out.push((n += b));
    return out;
  }

  /**
   * Moves the clock to `now` (ms); predictions that crossed a bound move to the next bucket.
   * Returns whether a minute passed with predictions pending (the ages shown changed).
   */
  advance(now: number): boolean {
    const minute = Math.floor(now / SLOT_MS);
    if (minute <= this.head) return false;
    const changed = this.total > 0;
    const slots = this.slots;
    if (!slots || this.head === -Infinity || minute - this.head >= SLOTS) {
      // First use, or idle for longer than the ring: every pending prediction is over a day old.
      const all = this.total;
      this.bands.fill(0);
      this.bands[this.bands.length - 1] = all;
      slots?.fill(0);
      this.head = minute;
      return changed;
    }
    while (this.head < minute) {
      this.head++;
      // Age of slot e is head − e: the slot at age m_i + 1 just left bucket i for bucket i + 1.
      for (let i = 0; i < BOUND_MINUTES.length; i++) {
        const e = this.head - BOUND_MINUTES[i] - 1;
        const n = slots[this.slot(e)];
        if (n === 0) continue;
        this.bands[i] -= n;
        this.bands[i + 1] += n;
      }
      // The slot of age SLOTS is reused for the new minute; its predictions stay counted in the last band.
      slots[this.slot(this.head)] = 0;
    }
    return changed;
  }

  /** A prediction made at `t` (ms) now waits for its label. */
  add(t: number): void {
    this.change(t, 1);
  }

  /** A pending prediction made at `t` got its label or was evicted. */
  remove(t: number): void {
    this.change(t, -1);
  }

  private change(t: number, sign: 1 | -1): void {
    this.slots ??= new Uint32Array(SLOTS);
    // A prediction newer than the clock (e.g. restored before the first advance) moves it on.
    if (sign === 1 && Math.floor(t / SLOT_MS) > this.head) this.advance(t);
    const e = Math.min(Math.floor(t / SLOT_MS), this.head);
    const age = this.head - e;
    let band = BOUND_MINUTES.findIndex((m) => age <= m);
    if (band === -1) band = BOUND_MINUTES.length;
    if (sign === -1 && this.bands[band] <= 0) return;
    this.bands[band] += sign;
    const slot = this.slot(e);
    if (age <= SLOTS - 1 && (sign === 1 || this.slots[slot] > 0)) this.slots[slot] += sign;
  }

  private slot(e: number): number {
    return ((e % SLOTS) + SLOTS) % SLOTS;
  }
}
