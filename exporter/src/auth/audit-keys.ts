import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { keyRingOf, type AuditKeyRing } from '../registry/audit-chain.js';

export interface AuditKeySources {
  /** MODELWATCH_AUDIT_KEY: the current key (32+ characters). */
  key?: string;
  /** MODELWATCH_AUDIT_KEY_FILE: one key per line, oldest first; the last is current unless `key` is set. */
  keyFile?: string;
  /** Where a key file is generated when neither is given. */
  dataDir: string;
}

export const MIN_AUDIT_KEY_LENGTH = 32;

/**
 * The audit chain's key ring, from outside the database (DESIGN.md "Integrity"):
 * MODELWATCH_AUDIT_KEY and/or MODELWATCH_AUDIT_KEY_FILE; without either, a random key is
 * generated once into `<data dir>/audit.key` (0600) — enough for one SQLite exporter, but
 * replicas sharing PostgreSQL must share one key through the environment or a mounted secret.
 *
 * Rotation: append the new key as the last line of the key file (or set it as
 * MODELWATCH_AUDIT_KEY and keep the old ones in the file) and restart. New entries are signed
 * with it; entries record their key id, so older entries keep verifying with retired keys.
 * Removing a key from the file makes its entries "unknown key" in verify. Webhook secrets are
 * encrypted with a key derived from the current audit key and record its id the same way.
 *
 * Returns the ring and, when a key file was generated, its path (to log once).
 */
export function loadAuditKeys(sources: AuditKeySources): { ring: AuditKeyRing; generated?: string } {
  const keys: string[] = [];
  let generated: string | undefined;
  let file = sources.keyFile;
  if (!file && !sources.key) {
    file = path.join(sources.dataDir, 'audit.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(sources.dataDir, { recursive: true, mode: 0o700 });
      // wx: never overwrite a key another process wrote in between.
      try {
        fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
        generated = file;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
  if (file) {
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (lines.length === 0) throw new Error(`audit key file ${file} holds no key`);
    keys.push(...lines);
  }
  if (sources.key) keys.push(sources.key);
  for (const k of keys) {
    if (k.length < MIN_AUDIT_KEY_LENGTH) throw new Error(`audit keys must be at least ${MIN_AUDIT_KEY_LENGTH} characters`);
  }
  return { ring: keyRingOf(keys.map((k) => Buffer.from(k, 'utf8'))), generated };
}
