import type { RequestHandler } from 'express';
import type { Collector } from '../collectors/collector.js';
import type { Config } from '../config/config.js';
import type { Monitor } from '../ingest/monitor.js';
import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { OpenedDatabase } from '../store/database.js';
import { SnapshotStore } from '../store/snapshot-store.js';
import type { StoredJournalRecord } from '../store/journal-store.js';
import { Checkpointer } from './checkpointer.js';
import type { Journal } from './journal.js';

export interface Durability {
  checkpointer: Checkpointer;
  /**
   * Express middleware for ingest routes, after authentication: makes sure the model named in
   * the body is this replica's (see Checkpointer.ensure) before the event is applied.
   */
  ensureModel: RequestHandler;
  /** Checkpoint and restore series for /metrics. */
  collector: Collector;
  close(): Promise<void>;
}

/**
 * Restores the monitor's window state from the store and starts checkpointing it (issue 12).
 * Call after reference profiles are applied and before the server listens.
 */
export async function startDurability(deps: {
  config: Config;
  log: Logger;
  database: OpenedDatabase;
  monitor: Monitor;
  now: () => number;
  /**
   * The ingest journal, replayed after the restore: `apply` parses, checks and applies one row
   * as its endpoint does; `tick` slides the windows and expires held labels to a time.
   */
  journal: { journal: Journal; apply: (r: StoredJournalRecord) => void; tick: (nowMs: number) => void };
}): Promise<Durability> {
  const { config, log } = deps;
  const m = { skipped: 0, ok: 0, failed: 0, durationSeconds: 0, bytes: 0, lastSeconds: 0 };
  const checkpointer = new Checkpointer({
    monitor: deps.monitor,
    store: new SnapshotStore(deps.database.db),
    log,
    intervalMs: config.checkpointSeconds * 1000,
    windowMs: config.windowSeconds * 1000,
    now: deps.now,
    journal: deps.journal.journal,
    onSkipped: () => m.skipped++,
    onCheckpoint: (s) => {
      if ('failed' in s) {
        m.failed++;
        return;
      }
      m.ok++;
      m.durationSeconds = s.durationMs / 1000;
      m.bytes = s.bytes;
      m.lastSeconds = Date.now() / 1000;
    },
  });
  const { covered, ...restored } = await checkpointer.restoreAll();
  log.info(restored, 'restored window state from the store');
  const replayed = await deps.journal.journal.replay({
    covered,
    apply: deps.journal.apply,
    tick: deps.journal.tick,
    adopt: (model) => checkpointer.adopt(model),
  });
  if (replayed.applied + replayed.refused > 0) log.info(replayed, 'replayed the ingest journal onto the restored state');
  // a half-full journal asks for a checkpoint at once, whatever the interval (one at a time)
  let pressed: Promise<unknown> | undefined;
  deps.journal.journal.onPressure = () => {
    pressed ??= checkpointer
      .checkpoint()
      .catch(() => undefined)
      .finally(() => (pressed = undefined));
  };
  checkpointer.start();
  return {
    checkpointer,
    ensureModel: (req, _res, next) => {
      const model = (req.body as { model?: unknown } | undefined)?.model;
      const pending = typeof model === 'string' ? checkpointer.ensure(model) : undefined;
      if (pending) pending.then(() => next(), next);
      else next();
    },
    collector: {
      name: 'durability',
      collect(out) {
        out.family(CATALOG.snapshotsSkipped).sample(undefined, m.skipped);
        out.family(CATALOG.checkpoints).sample({ outcome: 'ok' }, m.ok).sample({ outcome: 'failed' }, m.failed);
        out.family(CATALOG.checkpointDuration).sample(undefined, m.durationSeconds);
        out.family(CATALOG.checkpointBytes).sample(undefined, m.bytes);
        out.family(CATALOG.lastCheckpoint).sample(undefined, m.lastSeconds);
      },
    },
    async close() {
      const s = await checkpointer.close();
      log.info(s, 'final checkpoint written');
    },
  };
}
