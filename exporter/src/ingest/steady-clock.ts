/**
 * A forward-only clock for window time, read from the wall clock, which jumps: NTP steps it back
 * by seconds to minutes, a resumed VM finds it hours ahead, a container restored from an image
 * starts with a stale one. Everything that ages out — window buckets, labels held, the pending
 * ages, the versions' idle retention, checkpoints — reads this clock, never the wall clock,
 * because none of them can take time running backwards: the windows would put new events into
 * buckets minutes old (expiring early) or drop them as outside the window, held labels would
 * live longer than their TTL.
 *
 * - A step back is absorbed: window time keeps running from where it was (it is ahead of the
 *   wall clock by `offsetMs` from then on), so new events land in the current bucket and window
 *   statistics equal those of a clock that never jumped.
 * - A step forward is taken at face value (a VM resumed after hours: that time did pass, and
 *   everything in the windows expires) — except that it first pays back a step back still
 *   absorbed: a clock stepped back and then set right again (or a stale clock at start, see
 *   `absorb`, that NTP then corrects) leaves window time where a steady clock has it.
 *
 * A step forward is told from time passing by its size: the window clock reads this clock every
 * second, so a move of more than STEP_MS between two reads is a step. What this cannot know: a
 * step forward smaller than STEP_MS that undoes part of a step back is taken as time passing
 * (window time then runs ahead by at most STEP_MS), and a VM suspended while a step back was
 * still absorbed resumes that much short of the real time (it is a step to pay back first).
 */
export class SteadyClock {
  /** A move forward between two reads longer than this is a step (the window clock reads every second). */
  static readonly STEP_MS = 5_000;
  private lastWall: number | undefined;
  private offset = 0;

  constructor(private readonly wall: () => number) {}

  /** How far window time is ahead of the wall clock (ms, ≥ 0): the steps back absorbed. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Window time (ms): never less than an earlier reading. */
  readonly now = (): number => {
    const w = this.wall();
    if (!Number.isFinite(w)) return (this.lastWall ?? 0) + this.offset;
    if (this.lastWall !== undefined) {
      const moved = w - this.lastWall;
      if (moved < 0) this.offset -= moved;
      else if (moved > SteadyClock.STEP_MS && this.offset > 0) this.offset -= Math.min(this.offset, moved);
    }
    this.lastWall = w;
    return w + this.offset;
  };

  /**
   * The state holds times up to `t` (window time): restored from a checkpoint, or replayed from
   * the journal, written by a process whose clock was ahead of this one's (a container restored
   * with a stale clock, or window time that had absorbed a step back). From here on window time
   * goes on from `t`, as if the clock had stepped back to now, rather than putting new events
   * into old buckets until the wall clock catches up.
   */
  absorb(t: number): void {
    const now = this.now();
    if (Number.isFinite(t) && t > now) this.offset += t - now;
  }

  /** An event's own timestamp (wall-clock ms) in window time: its age by the wall clock now, before window time `now`. */
  eventTime(wallMs: number, now: number): number {
    return Math.min(wallMs + this.offset, now);
  }
}
