import { CountState } from '../windows/count-state.js';
import { SlidingWindow } from '../windows/sliding-window.js';
import { PendingAges } from './pending-ages.js';

/** Bucket upper bounds (seconds) of the label delay histogram; +Inf follows. */
export const LABEL_DELAY_BUCKETS_SECONDS = [1, 10, 60, 300, 900, 3600, 21600, 86400, 604800] as const;

/**
 * How far a version's labels have come: which of the window's predictions have a label
 * (counted by prediction time, so coverage = labelled / predictions of the same window), the
 * predictions still waiting by age, and the delay from prediction to label.
 */
export class LabelTracking {
  /** Predictions in the window (by their own time) whose label has arrived. */
  readonly labelled: SlidingWindow<CountState>;
  readonly pending = new PendingAges();
  /** Non-cumulative counts per delay bucket; the last slot is +Inf. */
  readonly delayBuckets = new Float64Array(LABEL_DELAY_BUCKETS_SECONDS.length + 1);
  delaySum = 0;
  delayCount = 0;

  constructor(fineMs: number, fineBuckets: number) {
    this.labelled = new SlidingWindow(() => new CountState(), fineMs, fineBuckets);
  }

  /** A label arrived at `now` for a prediction made at `at` (both ms). */
  observeLabel(at: number, now: number): void {
    const b = this.labelled.bucketAt(at);
    if (b) {
      b.add();
      this.labelled.total.add();
    }
    const s = Math.max(0, now - at) / 1000;
    let i = 0;
    while (i < LABEL_DELAY_BUCKETS_SECONDS.length && s > LABEL_DELAY_BUCKETS_SECONDS[i]) i++;
    this.delayBuckets[i]++;
    this.delaySum += s;
    this.delayCount++;
  }

  advance(now: number): boolean {
    const aged = this.pending.advance(now);
    return this.labelled.advance(now) || aged;
  }
}
