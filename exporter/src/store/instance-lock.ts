import { createHash } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { InstanceLockedError } from './instance-locked-error.js';

export { InstanceLockedError };

/**
 * The first key of the two-key advisory lock: modelwatch's journal-instance namespace ('mwjl').
 * PostgreSQL keeps two-int4 advisory keys apart from one-bigint keys (pg_locks.objsubid 2 and 1),
 * so this lock can never meet kysely's migration lock (the one other advisory lock this code
 * takes: a fixed bigint) nor any other single-key lock; the first key keeps it apart from other
 * two-key users of the same database. The cost is a 32-bit hash of the name as the second key:
 * two different instance names share a key at odds of 2^-32 a pair, which refuses the second one
 * at start (safe, and the message names the holder) and never lets two writers share rows.
 */
export const INSTANCE_LOCK_NAMESPACE = 0x6d776a6c;

/** The advisory lock's second key for an instance name: the first 32 bits of its SHA-256, signed. */
export function instanceLockKey(instance: string): number {
  return createHash('sha256').update(instance, 'utf8').digest().readInt32BE(0);
}

/** How often the lock's connection is checked, and how long a check may take, in ms. */
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;
/** Waits between attempts to take the lock again after its connection dropped, in ms. */
const RETAKE_MS = [250, 500, 1_000, 2_000];

export interface InstanceLock {
  /** True while this process holds the instance's lock; journal writes are refused otherwise. */
  readonly held: boolean;
  /** Throws (a store error: the batch answers 503, nothing applied) unless the lock is held. */
  assertHeld(): void;
  /** Lets the instance go (clean shutdown; a dead process's session lets it go too). */
  release(): Promise<void>;
}

/**
 * Makes this process the only exporter writing the PostgreSQL journal rows of `instance`
 * (MODELWATCH_INSTANCE) for as long as it lives, or throws InstanceLockedError. Two exporters
 * on different hosts that share an instance name would each replay and delete the other's rows
 * (src/durable/journal.ts), losing batches both had acknowledged; the data-directory lock
 * (data-dir-lock.ts) cannot see a replica on another host, the database can.
 *
 * The lock is a session-level advisory lock on a connection of its own, outside the kysely pool
 * (a pooled connection would be handed to queries and transactions that must not end or share
 * the session), held until `release` or until the session ends: PostgreSQL drops it when the
 * process dies, however it dies, so a SIGKILLed exporter's replacement starts at once.
 *
 * If that connection drops while running (a database restart or failover, a killed backend, a
 * network cut), PostgreSQL has let the lock go and another exporter may take it. This one then
 * stops writing the journal at once (`held` is false: appends and checkpoint truncations are
 * refused, so ingest answers 503 and /readyz fails) and tries to take the lock again. Taking it
 * again is safe: while not holding it, this process wrote and deleted nothing, and a lock that is
 * free means no other exporter is on these rows now. Exiting instead would turn every database
 * restart into an exporter restart, which the exporter is built to ride out (it recovers from
 * an outage by itself). If another exporter holds it by then, that one may already have replayed
 * and deleted this one's rows, so this one never writes the journal again: it logs the takeover
 * as an error and stays refused (and unready) until it is restarted, when the start-time check
 * either refuses it with the message below or finds the instance free and replays it.
 */
export async function lockInstance(databaseUrl: string, instance: string, log: Logger): Promise<InstanceLock> {
  const key = instanceLockKey(instance);
  let client = await take(databaseUrl, key);
  if (!client) throw new InstanceLockedError(instance, await holder(databaseUrl, key));

  let held = true;
  let closing = false;
  let takenOver = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let retake: NodeJS.Timeout | undefined;

  const lost = (c: pg.Client, err?: unknown) => {
    if (c !== client || closing) return;
    client = undefined;
    held = false;
    clearInterval(heartbeat);
    c.end().catch(() => undefined);
    log.error(
      { instance, err },
      'lost the PostgreSQL session holding this exporter’s journal instance lock: ingest is refused (503) until it is taken again',
    );
    scheduleRetake(0);
  };

  const scheduleRetake = (attempt: number) => {
    retake = setTimeout(
      () => {
        void take(databaseUrl, key).then(
          (c) => {
            if (closing) {
              void c?.end().catch(() => undefined);
            } else if (c) {
              adopt(c);
              log.info({ instance }, 'took the journal instance lock again: ingest is accepted again');
            } else {
              takenOver = true;
              log.error(
                { instance },
                'another modelwatch exporter took this exporter’s journal instance while its lock session was down: this exporter no longer writes the journal (ingest answers 503); stop it, or restart it once the other one is gone',
              );
            }
          },
          // the database is still away: try again, less often
          () => {
            if (!closing) scheduleRetake(attempt + 1);
          },
        );
      },
      RETAKE_MS[Math.min(attempt, RETAKE_MS.length - 1)],
    );
    retake.unref();
  };

  const adopt = (c: pg.Client) => {
    client = c;
    held = true;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c));
    // A dead peer that never closes the socket (a cut network) shows as a query that does not answer.
    heartbeat = setInterval(() => {
      c.query('select 1').catch((err: unknown) => lost(c, err));
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };
  adopt(client);

  return {
    get held() {
      return held;
    },
    assertHeld() {
      if (held) return;
      throw new Error(
        takenOver
          ? `another exporter took journal instance ${instance}; this one no longer writes the journal`
          : `the journal instance lock of ${instance} is not held (its PostgreSQL session dropped); retrying`,
      );
    },
    async release() {
      closing = true;
      held = false;
      clearInterval(heartbeat);
      clearTimeout(retake);
      const c = client;
      client = undefined;
      if (!c) return;
      // ending the session releases its advisory locks; the explicit unlock only says so sooner
      await c.query('select pg_advisory_unlock($1, $2)', [INSTANCE_LOCK_NAMESPACE, key]).catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}

/** A connected session holding the lock, or undefined when another session holds it. */
async function take(databaseUrl: string, key: number): Promise<pg.Client | undefined> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    keepAlive: true,
    connectionTimeoutMillis: HEARTBEAT_TIMEOUT_MS,
    query_timeout: HEARTBEAT_TIMEOUT_MS,
    // shown in pg_stat_activity, so a refused exporter can name the one holding the lock
    application_name: `modelwatch pid ${process.pid} on ${os.hostname()}`.slice(0, 63),
  });
  // until adopted, an error here surfaces through the failing query below
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    await client.connect();
    const r = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [INSTANCE_LOCK_NAMESPACE, key]);
    if (r.rows[0]?.locked) {
      client.off('error', ignore);
      return client;
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  await client.end().catch(() => undefined);
  return undefined;
}

/** The holder's application_name and address, as far as this role may read them. */
async function holder(databaseUrl: string, key: number): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: HEARTBEAT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ application_name: string | null; client_addr: string | null }>(
      `select a.application_name, host(a.client_addr) as client_addr
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objsubid = 2 and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid`,
      // pg_locks shows the int4 keys as unsigned oids
      [INSTANCE_LOCK_NAMESPACE >>> 0, key >>> 0],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const name = row.application_name || undefined;
    const from = row.client_addr ? `from ${row.client_addr}` : undefined;
    return [name, from].filter(Boolean).join(' ') || undefined;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
