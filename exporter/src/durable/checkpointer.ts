import { randomUUID } from 'node:crypto';
import type { Monitor } from '../ingest/monitor.js';
import type { ModelState } from '../ingest/model-state.js';
import type { VersionState } from '../ingest/version-state.js';
import type { Logger } from '../logger.js';
import type { ModelSnapshotWrite, SnapshotStore } from '../store/snapshot-store.js';
import { restoreModel, snapshotModel, snapshotVersion, type SkippedSnapshot } from './monitor-snapshot.js';

export interface CheckpointStats {
  models: number;
  versions: number;
  bytes: number;
  durationMs: number;
}

export interface CheckpointerOptions {
  monitor: Monitor;
  store: SnapshotStore;
  log: Logger;
  /** Milliseconds between checkpoints; 0: only the final one at close. */
  intervalMs: number;
  /** The sliding window: versions idle longer have empty windows and their snapshots are pruned. */
  windowMs: number;
  now: () => number;
  onSkipped?: (s: SkippedSnapshot) => void;
  onCheckpoint?: (s: CheckpointStats | { failed: true }) => void;
  /** Encoding work done between two yields to the event loop. */
  sliceMs?: number;
  /** Snapshot bytes per store transaction (each model whole in one). */
  chunkBytes?: number;
  /**
   * The ingest journal (journal.ts): each model's snapshot records the journal's applied seq
   * when it was encoded, and rows up to the seq applied when a checkpoint began are deleted
   * once every model of it is written.
   */
  journal?: {
    readonly appliedSeq: number;
    truncate(seq: number): Promise<void>;
    /** Runs a checkpoint while no transacted batch (a reference upload) is between its apply and its commit. */
    quiesce<T>(f: () => Promise<T>): Promise<T>;
  };
}

/**
 * Keeps window state in the store: restores it at start, writes what changed every interval
 * and once more at close. Work is split into slices of a few milliseconds with setImmediate in
 * between, so a checkpoint never holds up requests for long; a model's rows are written in one
 * transaction, so a crash leaves each model at its previous or its new snapshot, never a mix.
 *
 * Replicas: snapshots are keyed by model and version in the shared store. A replica writes only
 * models it has received traffic for since it started ("owned"), and before its first event for
 * a model it reloads the model's snapshot if another replica wrote a newer one — so when traffic
 * for a model moves to this replica after the first stopped cleanly, its windows continue.
 */
export class Checkpointer {
  private readonly o: Required<Omit<CheckpointerOptions, 'onSkipped' | 'onCheckpoint' | 'journal'>> &
    Pick<CheckpointerOptions, 'onSkipped' | 'onCheckpoint' | 'journal'>;
  /** Generation of each model's snapshot as this process last restored or wrote it. */
  private readonly generations = new Map<string, string>();
  private readonly owned = new Set<string>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly modelPrints = new WeakMap<ModelState, string>();
  private readonly versionRevisions = new WeakMap<VersionState, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CheckpointStats> | undefined;
  private closed = false;
  private lastPrune = 0;

  constructor(options: CheckpointerOptions) {
    this.o = { sliceMs: 4, chunkBytes: 64 * 1024, ...options };
  }

  /**
   * Restores every stored model (before the server listens). Unreadable snapshots are skipped and
   * reported. `covered` gives each restored model's last covered journal seq (for the replay).
   */
  async restoreAll(): Promise<{ models: number; skipped: number; durationMs: number; covered: Map<string, number> }> {
    const started = performance.now();
    const covered = new Map<string, number>();
    let models = 0;
    let skipped = 0;
    const names = [...(await this.o.store.generations()).keys()];
    let slice = performance.now();
    for (let page = 0; page < names.length; page += 50) {
      for (const snap of await this.o.store.loadMany(names.slice(page, page + 50))) {
        const ok = restoreModel(this.o.monitor, snap, (s) => {
          skipped++;
          this.skip(s);
        });
        if (ok) {
          models++;
          if (snap.journalSeq !== undefined) covered.set(snap.model, snap.journalSeq);
          this.generations.set(snap.model, snap.generation);
          this.markClean(snap.model);
        }
        if (performance.now() - slice > this.o.sliceMs) {
          await yieldToEventLoop();
          slice = performance.now();
        }
      }
    }
    return { models, skipped, durationMs: performance.now() - started, covered };
  }

  /** Makes `model` this replica's to checkpoint without reloading it (the journal replayed into it). */
  adopt(model: string): void {
    this.owned.add(model);
  }

  /**
   * Call before applying this replica's first event for `model`: reloads the model's snapshot
   * when the store holds a newer one than this process has (another replica wrote it), then
   * makes the model this replica's to checkpoint. Cheap once a model is owned.
   */
  ensure(model: string): Promise<void> | undefined {
    if (this.owned.has(model)) return undefined;
    let p = this.loading.get(model);
    if (!p) {
      p = this.reload(model).finally(() => {
        this.loading.delete(model);
        this.owned.add(model);
      });
      this.loading.set(model, p);
    }
    return p;
  }

  private async reload(model: string): Promise<void> {
    try {
      const generation = await this.o.store.generation(model);
      if (generation === undefined || generation === this.generations.get(model)) return;
      const snap = await this.o.store.load(model);
      if (!snap) return;
      if (restoreModel(this.o.monitor, snap, (s) => this.skip(s))) {
        this.generations.set(model, snap.generation);
        this.markClean(model);
        this.o.log.info({ model }, 'continued the model from the snapshot another replica wrote');
      }
    } catch (err) {
      // Never block ingest on the store: the model continues from what this process holds.
      this.o.log.error({ err, model }, 'could not load the model snapshot; continuing with local state');
    }
  }

  start(): void {
    if (this.o.intervalMs <= 0 || this.closed) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        void this.checkpoint()
          .catch(() => undefined)
          .finally(() => {
            if (!this.closed) tick();
          });
      }, this.o.intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** Writes every owned model whose state changed since its last checkpoint. One at a time. */
  checkpoint(): Promise<CheckpointStats> {
    const write = () => (this.o.journal ? this.o.journal.quiesce(() => this.write()) : this.write());
    const run = (this.running ?? Promise.resolve()).catch(() => undefined).then(write);
    this.running = run;
    return run;
  }

  /** Stops the timer and writes a final checkpoint. */
  async close(): Promise<CheckpointStats> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.loading.values()]);
    return this.checkpoint();
  }

  private async write(): Promise<CheckpointStats> {
    const started = performance.now();
    const stats: CheckpointStats = { models: 0, versions: 0, bytes: 0, durationMs: 0 };
    try {
      let chunk: ModelSnapshotWrite[] = [];
      let chunkBytes = 0;
      let done: Array<() => void> = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        await this.o.store.write(chunk);
        for (const d of done) d();
        chunk = [];
        chunkBytes = 0;
        done = [];
        await yieldToEventLoop();
      };
      let slice = performance.now();
      const now = this.o.now();
      // Every journal row up to here is in memory; each model encoded below includes them.
      const coveredSeq = this.o.journal?.appliedSeq;
      for (const name of [...this.owned]) {
        const model = this.o.monitor.models.get(name);
        if (!model) {
          // Named by a request but never created (limits), or forgotten: nothing to keep.
          if (!this.loading.has(name)) this.owned.delete(name);
          continue;
        }
        const print = modelPrint(model);
        if (this.modelPrints.get(model) === print) continue;
        const versions = [...model.versions.values()].filter((v) => v.lastSeen > now - this.o.windowMs);
        const changed = versions.filter((v) => this.versionRevisions.get(v) !== v.revision);
        const revisions = changed.map((v) => v.revision);
        const write: ModelSnapshotWrite = {
          model: name,
          generation: randomUUID(),
          writtenMs: now,
          state: snapshotModel(model),
          versions: changed.map((v) => ({ version: v.name, lastSeenMs: v.lastSeen, state: snapshotVersion(v) })),
          keep: versions.map((v) => v.name),
          journalSeq: this.o.journal?.appliedSeq,
        };
        const bytes = write.state.byteLength + write.versions.reduce((n, v) => n + v.state.byteLength, 0);
        chunk.push(write);
        chunkBytes += bytes;
        stats.models++;
        stats.versions += changed.length;
        stats.bytes += bytes;
        done.push(() => {
          this.modelPrints.set(model, print);
          changed.forEach((v, i) => this.versionRevisions.set(v, revisions[i]));
          this.generations.set(name, write.generation);
        });
        if (chunkBytes >= this.o.chunkBytes) await flush();
        else if (performance.now() - slice > this.o.sliceMs) {
          await yieldToEventLoop();
          slice = performance.now();
        }
      }
      await flush();
      // Every changed model is written with a seq >= coveredSeq, and an unchanged one received
      // no batch that changed it since its last write: the rows up to coveredSeq are not needed.
      if (coveredSeq !== undefined && this.o.journal) await this.o.journal.truncate(coveredSeq);
      if (now - this.lastPrune >= Math.min(60_000, this.o.windowMs)) {
        this.lastPrune = now;
        await this.o.store.prune(now - this.o.windowMs);
      }
      stats.durationMs = performance.now() - started;
      this.o.onCheckpoint?.(stats);
      return stats;
    } catch (err) {
      this.o.log.error({ err }, 'checkpoint failed; the next one retries');
      this.o.onCheckpoint?.({ failed: true });
      throw err;
    }
  }

  /** Records the current state of a just-restored model as what the store holds. */
  private markClean(name: string): void {
    const model = this.o.monitor.models.get(name);
    if (!model) return;
    this.modelPrints.set(model, modelPrint(model));
    for (const v of model.versions.values()) this.versionRevisions.set(v, v.revision);
  }

  private skip(s: SkippedSnapshot): void {
    this.o.log.warn(s, 'skipping an unreadable window snapshot; that state starts empty');
    this.o.onSkipped?.(s);
  }
}

/**
 * Changes to a model's snapshot. Every ingest change to a version bumps its revision, and every
 * batch that touched the model its `changes`; the model-level state the window clock changes
 * outside a batch (held labels expiring) is added.
 */
function modelPrint(m: ModelState): string {
  let s = `${m.changes}|${m.feedbackUnknown}|${m.pending.size}|${m.held.size}|${m.recent.size}|${m.classes.size}|${m.task ?? ''}|${m.positiveClass ?? ''}`;
  for (const v of m.versions.values()) s += `|${v.name}:${v.revision}`;
  for (const [k, v] of m.kpis) s += `|${k}=${v}`;
  return s;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
