import type { Transaction } from 'kysely';
import type { Collector } from '../collectors/collector.js';
import { DomainError, UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { JournalRecord, JournalStore, StoredJournalRecord } from '../store/journal-store.js';
import type { Database } from '../store/schema.js';
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

/**
 * Runs a store transaction with a batch's own writes (a reference upload's profile and audit
 * entry) and calls `inside` in it before the commit; what `inside` throws rolls it all back.
 */
export type Transact = (inside: (tx: Transaction<Database>) => Promise<void>) => Promise<unknown>;

interface Queued {
  record: JournalRecord;
  apply: () => unknown;
  /** A transacted batch (submitTransacted): its row goes in this transaction, alone. */
  transact?: Transact;
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
  /**
   * Called after a flush that leaves more than half of `maxBytes` uncovered: the durability
   * layer starts a checkpoint then, so the journal is covered even with periodic checkpoints
   * off (MODELWATCH_CHECKPOINT_SECONDS=0) or too far apart for the ingest rate — otherwise it
   * would only fill until every batch answered 503.
   */
  onPressure?: () => void;

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
    // Off, a batch applies at once, unless a transacted one is in flight (it goes after it).
    if (!this.o.enabled && !this.flushing && this.queue.length === 0) {
      try {
        return Promise.resolve(apply());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.enqueue(record, apply);
  }

  /**
   * Journals a batch whose other store writes must commit with its row, all or nothing (a
   * reference upload: the profile and its audit entry). `transact` runs the store transaction
   * with those writes; the journal's row is appended in it and `apply` runs in it too, after the
   * row and before the commit, in seq order with the other batches (it is flushed alone). `apply`
   * returns the undo of what it did, which runs should the commit fail, so a refused batch
   * leaves the store, the audit chain and memory as they were. While it is between its apply and
   * its commit, no other batch applies and no checkpoint encodes (`quiesce`), so the undo is
   * exact. Off, there is no row but the same transaction. Rejects with what `apply` throws (the
   * store rolled back), with a DomainError the store raises, or else with a 503
   * UnavailableError (journal full, store error), nothing applied.
   */
  submitTransacted(record: Omit<JournalRecord, 'nowMs'>, apply: () => () => void, transact: Transact): Promise<void> {
    return this.enqueue(record, apply, transact);
  }

  /**
   * Runs `f` (a checkpoint's encoding and writes) while no transacted batch is between its apply
   * and its commit, and keeps one from starting until `f` settles.
   */
  async quiesce<T>(f: () => Promise<T>): Promise<T> {
    const run = this.gate.then(f);
    this.gate = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
  private gate: Promise<void> = Promise.resolve();

  private enqueue<T>(record: Omit<JournalRecord, 'nowMs'>, apply: () => unknown, transact?: Transact): Promise<T> {
    if (this.o.enabled && this.bytes + this.queuedBytes + record.body.byteLength > this.o.maxBytes) {
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
      this.queue.push({
        record: { ...record, nowMs: this.o.clock.now() },
        apply,
        transact,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
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
    // A transacted batch goes alone; the batches before it go first, as one group.
    const cut = this.queue.findIndex((q) => q.transact);
    const batch = this.queue.splice(0, cut === 0 ? 1 : cut === -1 ? this.queue.length : cut);
    for (const q of batch) this.queuedBytes -= q.record.body.byteLength;
    if (batch[0].transact) await this.flushTransacted(batch[0], batch[0].transact);
    else if (this.o.enabled) await this.flushGroup(batch);
    else for (const q of batch) this.applyNow(q);
    this.flushing = false;
    if (this.o.enabled && this.bytes > this.o.maxBytes / 2) this.onPressure?.();
    this.schedule();
  }

  /** Off: what `submit` does at once, for a batch that waited behind a transacted one. */
  private applyNow(q: Queued): void {
    try {
      q.resolve(q.apply());
    } catch (err) {
      q.reject(err);
    }
  }

  private async flushTransacted(q: Queued, transact: Transact): Promise<void> {
    let seq: number | undefined;
    let undo: (() => void) | undefined;
    let applyFailed = false;
    try {
      await this.quiesce(async () => {
        try {
          await transact(async (tx) => {
            if (this.o.enabled) seq = await this.o.store.appendIn(tx, q.record);
            try {
              undo = this.o.clock.pin(q.record.nowMs, q.apply) as () => void;
            } catch (err) {
              applyFailed = true;
              throw err;
            }
          });
        } catch (err) {
          // The commit failed after the apply: written back before anything else can see it.
          undo?.();
          throw err;
        }
        if (seq !== undefined) {
          this.applied = seq;
          this.rows.push([seq, q.record.body.byteLength]);
          this.bytes += q.record.body.byteLength;
        }
      });
    } catch (err) {
      if (applyFailed || err instanceof DomainError) {
        q.reject(err);
        return;
      }
      // A journal rejection only where there is a journal: off, the store refused the batch's own
      // writes (a reference upload's profile and audit entry), which is the 503 and its log line
      // alone; the store's trouble shows in modelwatch_checkpoints_total{outcome="failed"}.
      if (this.o.enabled) this.counts.storeError++;
      q.reject(storeRefusal('the batch could not be written to the store; nothing was applied, retry', err));
      return;
    }
    q.resolve(undefined);
  }

  private async flushGroup(batch: Queued[]): Promise<void> {
    const voided = this.voided;
    this.voided = [];
    let seqs: number[];
    try {
      seqs = await this.o.store.append(
        batch.map((q) => q.record),
        voided,
      );
    } catch (err) {
      this.voided.push(...voided);
      this.counts.storeError += batch.length;
      for (const q of batch)
        q.reject(storeRefusal('the batch could not be written to the ingest journal; nothing was applied, retry', err));
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

/**
 * The 503 for a batch the store refused, carrying the store's error: the error handler logs it
 * once per refused request (src/http/error-handler.ts), so the journal does not log it too.
 */
function storeRefusal(message: string, cause: unknown): UnavailableError {
  const refused = new UnavailableError(message, 1, 'MW_ERR_JOURNAL_UNAVAILABLE');
  refused.cause = cause;
  return refused;
}
