import type { Collector } from '../collectors/collector.js';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { JournalRecord, JournalStore, StoredJournalRecord } from '../store/journal-store.js';
import type { ApplyClock } from './apply-clock.js';

export interface JournalOptions {
  store: JournalStore;
  clock: ApplyClock;
  log: Logger;
  /** Off: batches are applied at once and never written (a crash loses what the last checkpoint missed). */
  enabled: boolean;
  /** Bytes of uncovered batches beyond which ingest answers 503 (MODELWATCH_JOURNAL_MAX_MB). */
  maxBytes: number;
  /** Retry-After for a full journal: about when the next checkpoint may have covered it (s). */
  retryAfterSeconds: number;
}

interface Queued {
  record: JournalRecord;
  apply: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The write-ahead ingest journal: an acknowledged batch survives kill -9, OOM and (with
 * SQLite's synchronous=FULL or PostgreSQL's default synchronous_commit) power loss.
 *
 * Order: append, then apply, then answer. The batch is committed to the store before it
 * changes the monitor, so a store error refuses it (503) with nothing applied — a rejected
 * batch changes nothing. Appending first would let batches apply in another order than their
 * seqs if each request applied on its own, so the journal applies them itself, in seq order,
 * right after their commit, in one synchronous loop; `appliedSeq` is then exact, and a
 * checkpoint that encodes a model records it as the last seq the snapshot covers. The apply
 * re-runs the semantic check (the state may have moved since the request's early check): a
 * batch it refuses, or whose apply throws (the monitor's apply is all-or-nothing), gets its row
 * deleted in the next append's transaction. Should the process die before that, replay meets
 * the same state and refuses it again, so it is never applied twice nor once when it was not.
 *
 * Group commit: batches submitted within the same tick (and while an append is in flight)
 * go to the store in one transaction, so the cost of a commit (an fsync) is shared.
 *
 * Replay (at start, after the snapshots are restored): this instance's rows after each model's
 * covered seq are applied in seq order through the same apply code with the time recorded in
 * the row; the windows slide and held labels expire at each new second of recorded time, as
 * the window clock would have done. Rows a checkpoint covers are deleted (`truncate`).
 */
export class Journal {
  private queue: Queued[] = [];
  private voided: number[] = [];
  private scheduled = false;
  private flushing = false;
  private applied = 0;
  /** Uncovered rows in the store, oldest first: [seq, bytes]. */
  private readonly rows: Array<[number, number]> = [];
  private bytes = 0;
  private queuedBytes = 0;
  private readonly counts = { full: 0, storeError: 0, applied: 0, covered: 0, refused: 0 };

  constructor(private readonly o: JournalOptions) {}

  get enabled(): boolean {
    return this.o.enabled;
  }

  /** The last seq applied to the monitor: every row up to it is in memory (or was refused). */
  get appliedSeq(): number {
    return this.applied;
  }

  /**
   * Journals a validated batch and applies it. `apply` runs synchronously with the monitor's
   * clock pinned to the batch's recorded time and returns the answer; what it throws (a 4xx, a
   * failed apply) rejects the promise. Rejects with a 503 UnavailableError, nothing applied,
   * when the journal is full or the append fails.
   */
  submit<T>(record: Omit<JournalRecord, 'nowMs'>, apply: () => T): Promise<T> {
    if (!this.o.enabled) {
      try {
        return Promise.resolve(apply());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (this.bytes + this.queuedBytes + record.body.byteLength > this.o.maxBytes) {
      this.counts.full++;
      return Promise.reject(
        new UnavailableError(
          'the ingest journal is full: checkpoints are not covering it (see modelwatch_checkpoints_total{outcome="failed"}); nothing was applied, retry later',
          this.o.retryAfterSeconds,
          'MW_ERR_JOURNAL_FULL',
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ record: { ...record, nowMs: this.o.clock.now() }, apply, resolve: resolve as (v: unknown) => void, reject });
      this.queuedBytes += record.body.byteLength;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.queue;
    const voided = this.voided;
    this.queue = [];
    this.voided = [];
    for (const q of batch) this.queuedBytes -= q.record.body.byteLength;
    let seqs: number[];
    try {
      seqs = await this.o.store.append(
        batch.map((q) => q.record),
        voided,
      );
    } catch (err) {
      this.voided.push(...voided);
      this.counts.storeError += batch.length;
      this.o.log.error({ err, batches: batch.length }, 'could not append to the ingest journal; answering 503');
      const refused = new UnavailableError(
        'the batch could not be written to the ingest journal; nothing was applied, retry',
        1,
        'MW_ERR_JOURNAL_UNAVAILABLE',
      );
      for (const q of batch) q.reject(refused);
      this.flushing = false;
      this.schedule();
      return;
    }
    // Applied in seq order without yielding: nothing interleaves, appliedSeq is exact.
    for (let i = 0; i < batch.length; i++) {
      const q = batch[i];
      this.applied = seqs[i];
      let result: unknown;
      try {
        result = this.o.clock.pin(q.record.nowMs, q.apply);
      } catch (err) {
        // Not acknowledged: its row goes with the next commit and is not counted meanwhile.
        this.voided.push(seqs[i]);
        q.reject(err);
        continue;
      }
      this.rows.push([seqs[i], q.record.body.byteLength]);
      this.bytes += q.record.body.byteLength;
      q.resolve(result);
    }
    this.flushing = false;
    this.schedule();
  }

  /**
   * Replays this instance's rows onto the restored state (see the class comment). `covered`
   * gives each restored model's covered seq; `apply` parses, checks and applies one row (throws
   * when refused); `tick` slides the windows and expires held labels to a time; `adopt` makes a
   * replayed model this replica's to checkpoint. Call before the server listens.
   */
  async replay(deps: {
    covered: ReadonlyMap<string, number>;
    apply: (r: StoredJournalRecord) => void;
    tick: (nowMs: number) => void;
    adopt: (model: string) => void;
  }): Promise<{ applied: number; covered: number; refused: number; durationMs: number }> {
    const started = performance.now();
    const before = { ...this.counts };
    let after = 0;
    let second = -Infinity;
    for (;;) {
      const page = await this.o.store.read(after, 256);
      if (page.length === 0) break;
      for (const r of page) {
        after = r.seq;
        this.applied = Math.max(this.applied, r.seq);
        this.rows.push([r.seq, r.body.byteLength]);
        this.bytes += r.body.byteLength;
        if (r.seq <= (deps.covered.get(r.model) ?? 0)) {
          this.counts.covered++;
          continue;
        }
        if (Math.floor(r.nowMs / 1000) !== second) {
          second = Math.floor(r.nowMs / 1000);
          deps.tick(r.nowMs);
        }
        deps.adopt(r.model);
        try {
          this.o.clock.pin(r.nowMs, () => deps.apply(r));
          this.counts.applied++;
        } catch (err) {
          // Refused when acknowledged too (its row was not yet deleted) or a config change since.
          this.counts.refused++;
          this.o.log.warn(
            { seq: r.seq, kind: r.kind, model: r.model, reason: (err as Error).message },
            'journaled batch refused at replay',
          );
        }
      }
    }
    return {
      applied: this.counts.applied - before.applied,
      covered: this.counts.covered - before.covered,
      refused: this.counts.refused - before.refused,
      durationMs: performance.now() - started,
    };
  }

  /** Deletes the rows up to `seq`, which a completed checkpoint covers. */
  async truncate(seq: number): Promise<void> {
    if (this.rows.length === 0 || this.rows[0][0] > seq) return;
    await this.o.store.truncate(seq);
    let n = 0;
    while (n < this.rows.length && this.rows[n][0] <= seq) this.bytes -= this.rows[n++][1];
    this.rows.splice(0, n);
  }

  /** Resolves when nothing is queued or being appended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.flushing || this.scheduled || this.queue.length > 0) await new Promise((r) => setImmediate(r));
  }

  readonly collector: Collector = {
    name: 'journal',
    collect: (out) => {
      out.family(CATALOG.journalBytes).sample(undefined, this.bytes);
      out.family(CATALOG.journalBatches).sample(undefined, this.rows.length);
      out
        .family(CATALOG.journalRejected)
        .sample({ reason: 'full' }, this.counts.full)
        .sample({ reason: 'store_error' }, this.counts.storeError);
      out
        .family(CATALOG.journalReplayed)
        .sample({ outcome: 'applied' }, this.counts.applied)
        .sample({ outcome: 'covered' }, this.counts.covered)
        .sample({ outcome: 'refused' }, this.counts.refused);
    },
  };
}
