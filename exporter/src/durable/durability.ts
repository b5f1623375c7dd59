import type { RequestHandler } from 'express';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import type { Monitor } from '../ingest/monitor.js';
import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { OpenedDatabase } from '../store/database.js';
import { SnapshotStore } from '../store/snapshot-store.js';
import { Checkpointer } from './checkpointer.js';

export interface Durability {
  checkpointer: Checkpointer;
  /**
   * Express middleware for ingest routes, after authentication: makes sure the model named in
   * the body is this replica's (see Checkpointer.ensure) before the event is applied.
   */
  ensureModel: RequestHandler;
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
  metrics: Registry;
  monitor: Monitor;
  now: () => number;
}): Promise<Durability> {
  const { config, log, metrics } = deps;
  const skipped = counter(metrics, CATALOG.snapshotsSkipped);
  const checkpoints = new Counter({
    name: CATALOG.checkpoints.name,
    help: CATALOG.checkpoints.help,
    labelNames: ['outcome'],
    registers: [metrics],
  });
  checkpoints.inc({ outcome: 'ok' }, 0);
  checkpoints.inc({ outcome: 'failed' }, 0);
  const duration = gauge(metrics, CATALOG.checkpointDuration);
  const bytes = gauge(metrics, CATALOG.checkpointBytes);
  const last = gauge(metrics, CATALOG.lastCheckpoint);
  const checkpointer = new Checkpointer({
    monitor: deps.monitor,
    store: new SnapshotStore(deps.database.db),
    log,
    intervalMs: config.checkpointSeconds * 1000,
    windowMs: config.windowSeconds * 1000,
    now: deps.now,
    onSkipped: () => skipped.inc(),
    onCheckpoint: (s) => {
      if ('failed' in s) return checkpoints.inc({ outcome: 'failed' });
      checkpoints.inc({ outcome: 'ok' });
      duration.set(s.durationMs / 1000);
      bytes.set(s.bytes);
      last.set(Date.now() / 1000);
    },
  });
  const restored = await checkpointer.restoreAll();
  log.info(restored, 'restored window state from the store');
  checkpointer.start();
  return {
    checkpointer,
    ensureModel: (req, _res, next) => {
      const model = (req.body as { model?: unknown } | undefined)?.model;
      const pending = typeof model === 'string' ? checkpointer.ensure(model) : undefined;
      if (pending) pending.then(() => next(), next);
      else next();
    },
    async close() {
      const s = await checkpointer.close();
      log.info(s, 'final checkpoint written');
    },
  };
}

function counter(registry: Registry, spec: { name: string; help: string }): Counter {
  const c = new Counter({ name: spec.name, help: spec.help, registers: [registry] });
  c.inc(0);
  return c;
}

function gauge(registry: Registry, spec: { name: string; help: string }): Gauge {
  return new Gauge({ name: spec.name, help: spec.help, registers: [registry] });
}
