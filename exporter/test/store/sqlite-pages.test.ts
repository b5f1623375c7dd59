import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';

/*
 * The SQLite page size (src/store/database.ts): a new database file gets 64 KiB pages, so a
 * journaled request body is a short overflow chain; a file made with another page size keeps it
 * and works as before.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tempFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-pages-'));
  dirs.push(d);
  return path.join(d, 'modelwatch.sqlite');
}

async function pageSize(file: string): Promise<number> {
  const opened = await openDatabase({ sqlitePath: file });
  try {
    const r = await sql<{ page_size: number }>`pragma page_size`.execute(opened.db);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(opened.db);
    expect(journal.rows[0].journal_mode).toBe('wal');
    return r.rows[0].page_size;
  } finally {
    await opened.close();
  }
}

describe('SQLite page size', () => {
  it('a new database file has 64 KiB pages, in WAL mode, and keeps them when opened again', async () => {
    const file = tempFile();
    expect(await pageSize(file)).toBe(65536);
    expect(await pageSize(file)).toBe(65536);
  });

  it('a file written with 4 KiB pages keeps them and its data', async () => {
    const file = tempFile();
    const old = new SQLite(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec('create table kept (v text)');
    old.prepare('insert into kept values (?)').run('before');
    old.close();
    expect(await pageSize(file)).toBe(4096);
    const reopened = new SQLite(file, { readonly: true });
    expect(reopened.prepare('select v from kept').all()).toEqual([{ v: 'before' }]);
    reopened.close();
  });
});
