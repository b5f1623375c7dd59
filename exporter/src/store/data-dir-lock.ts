import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { DataDirLockedError } from './data-dir-locked-error.js';

export { DataDirLockedError };

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'exporter.lock';

export interface DataDirLock {
  /** Lets the directory go (at shutdown; a process that dies lets it go too). */
  release(): void;
}

/**
 * Makes this process the only exporter on `dir` for as long as it lives, or throws
 * DataDirLockedError naming the pid that has it. Two exporters on one directory would both
 * checkpoint, journal and replay into the same SQLite file: each deletes journal rows its own
 * checkpoints cover and overwrites the other's snapshots, so batches one of them acknowledged are
 * lost at the next restart (on PostgreSQL the default journal instance name is host and data
 * directory, so they would replay and delete each other's rows the same way).
 *
 * Why SQLite and not a lock file library (proper-lockfile: a directory made with mkdir, its mtime
 * refreshed every few seconds, taken over once stale): the lock here is a POSIX record lock
 * (fcntl) that SQLite takes on `exporter.lock`, and the kernel drops it the moment the process
 * ends, however it ends — a SIGKILLed or OOM-killed exporter can be restarted at once. A mkdir
 * lock outlives a SIGKILL until its staleness timeout (a restart inside it refuses to start), and
 * it is taken over from a live holder whose event loop stalled longer than that timeout (a long
 * synchronous restore or checkpoint), which is the double writer this is meant to prevent.
 *
 * How: an open `BEGIN IMMEDIATE` transaction, never committed, holds SQLite's RESERVED lock for
 * the process's lifetime; another process's `BEGIN IMMEDIATE` then fails at once with
 * SQLITE_BUSY (also a second exporter in the same process: SQLite tracks its locks per inode). A
 * RESERVED lock still lets others read, so the holder's pid, committed just before, is readable by
 * the one refused. The file stays in rollback-journal mode (no WAL), so the lock is on the file
 * itself rather than in a shared-memory file. Nothing else in the process may open this file:
 * closing any descriptor of it would drop the process's POSIX locks on it. On a network file
 * system the lock is as good as its fcntl support (NFSv4 has it).
 */
export function lockDataDir(dir: string): DataDirLock {
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  // timeout 0: a held lock is an answer, not something to wait for
  const db = new SQLite(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)');
    take(db);
    // The pid goes in committed, then the lock is taken again: between the two another process
    // may win, and then this one is the one refused (each reads the pid of the one that holds it).
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(process.pid, new Date().toISOString());
    db.exec('COMMIT');
    take(db);
  } catch (err) {
    const busy = (err as { code?: string }).code?.startsWith('SQLITE_BUSY');
    const pid = busy ? holderPid(db) : undefined;
    db.close();
    if (busy) throw new DataDirLockedError(dir, pid);
    throw err;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function take(db: SQLite.Database): void {
  db.exec('BEGIN IMMEDIATE');
}

/** The pid the holder committed; retried briefly, since a read is refused while it commits. */
function holderPid(db: SQLite.Database): number | undefined {
  if (db.inTransaction) db.exec('ROLLBACK');
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const row = db.prepare('SELECT pid FROM holder WHERE id = 1').get() as { pid: number } | undefined;
      return row?.pid;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  return undefined;
}
