import { createHmac } from 'node:crypto';
import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import type { RegistryService } from '../registry/service.js';
import type { Collector } from './collector.js';

/** 12 hex digits = 48 bits: exact in a float64 sample. */
export const HASH_PREFIX_DIGITS = 12;

export function hashPrefixValue(hash: string): number {
  return parseInt(hash.slice(0, HASH_PREFIX_DIGITS), 16);
}

/**
 * The signature of a checkpoint line: HMAC-SHA256 under the current audit key over
 * `modelwatch-audit-checkpoint:<id>:<hash>:<at>`, hex. Anyone holding the key can check a
 * logged line; nobody without it can forge one.
 */
export function checkpointSignature(keys: AuditKeyRing, id: number, hash: string, at: string): string {
  return createHmac('sha256', keys.current.secret).update(`modelwatch-audit-checkpoint:${id}:${hash}:${at}`).digest('hex');
}

/**
 * Publishes the audit chain head outside the database (DESIGN.md "Integrity"): as gauges that
 * Prometheus records at every scrape, and as a signed checkpoint log line every `intervalSeconds`.
 * A truncated or rewritten log then shows as a head id that went down, or a hash prefix that
 * changed at the same id — in Prometheus's history (alert rule ModelwatchAuditHeadRegressed),
 * in the log, and in this process (counter, and verify's "head behind a published checkpoint").
 * Reading the head at a scrape records it as published: that is the point of publishing it
 * (registry state, not monitoring state). Returns the collector and a stop function for the timer.
 */
export function publishAuditHead(opts: {
  registry: RegistryService;
  keys: AuditKeyRing;
  log: Logger;
  intervalSeconds: number;
  now: () => number;
}): { collector: Collector; stop: () => void } {
  const { registry, log } = opts;
  let regressions = 0;
  const publish = async () => {
    const head = await registry.publishAuditHead();
    if (head.regression) {
      regressions++;
      log.error(
        { audit_head: { id: head.id, hash: head.hash }, problem: head.regression },
        'audit chain head went backwards or was rewritten',
      );
    }
    return head;
  };
  const collector: Collector = {
    name: 'audit_head',
    async collect(out) {
      const head = await publish();
      out.family(CATALOG.auditHeadRegressions).sample(undefined, regressions);
      out.family(CATALOG.auditHeadId).sample(undefined, head.id);
      out.family(CATALOG.auditHeadHashPrefix).sample(undefined, hashPrefixValue(head.hash));
    },
  };
  if (opts.intervalSeconds <= 0) return { collector, stop: () => undefined };
  const timer = setInterval(() => {
    publish().then(
      (head) => {
        const at = new Date(opts.now()).toISOString();
        const checkpoint = { id: head.id, hash: head.hash, at, key_id: opts.keys.current.id };
        log.info({ audit_checkpoint: { ...checkpoint, sig: checkpointSignature(opts.keys, head.id, head.hash, at) } }, 'audit checkpoint');
      },
      (err: unknown) => log.warn({ err }, 'audit checkpoint failed'),
    );
  }, opts.intervalSeconds * 1000);
  timer.unref();
  return { collector, stop: () => clearInterval(timer) };
}
