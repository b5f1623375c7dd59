import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrateToLatest } from './migrations/index.js';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Resolves when the store answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` or `postgresql://…`; absent means SQLite at sqlitePath. */
  databaseUrl?: string;
  sqlitePath: string;
}

/** Opens the configured database and brings its schema to the latest migration. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenedDatabase> {
  const url = options.databaseUrl;
  let opened: OpenedDatabase;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle pooled connection dropped by the server (restart, failover) must not crash the
    // process: the pool discards it and the next query reconnects.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    opened = { db, dialect: 'postgres', ping: () => ping(db), close: () => db.destroy() };
  } else {
    if (url) throw new Error(`MODELWATCH_DATABASE_URL must start with postgres:// (got a different scheme)`);
    if (options.sqlitePath !== ':memory:') createPrivateFile(options.sqlitePath);
    const sqlite = new SQLite(options.sqlitePath);
    // 64 KiB pages (SQLite's largest; its default is 4 KiB): an ingest journal row holds a whole
    // request body (hundreds of KiB), which SQLite stores as a chain of overflow pages, each
    // written to the WAL with its own frame header, checksum and write, copied to the database
    // at the WAL checkpoint, and read back one by one to be freed when a checkpoint deletes the
    // row. 16 times fewer pages took the CPU of appending and deleting a 400 KiB batch from about
    // 1.4 to 1.0 ms, and `npm run bench`'s journal on/off ratio per server CPU-second from
    // 0.81-0.83 to 0.85-0.89. It takes effect on a new database file only: an existing one keeps
    // its page size (SQLite changes it only through VACUUM outside WAL mode).
    sqlite.pragma('page_size = 65536');
    sqlite.pragma('journal_mode = WAL');
    // FULL: in WAL mode each commit syncs the WAL, so what a transaction commits (an ingest
    // journal row, src/durable/journal.ts) survives power loss and OS crashes, not only a killed
    // process (NORMAL would protect against the latter only). Group commit shares the fsync.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    opened = { db, dialect: 'sqlite', ping: () => ping(db), close: () => db.destroy() };
  }
  await migrateToLatest(opened.db);
  return opened;
}

/**
 * The SQLite file holds token hashes, webhook signing secrets and the audit log: it is created
 * (or tightened) to 0600 in a 0700 directory before SQLite opens it. SQLite gives its -wal and
 * -shm files the permissions of the database file.
 */
function createPrivateFile(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  for (const side of ['-wal', '-shm']) if (fs.existsSync(file + side)) fs.chmodSync(file + side, 0o600);
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
