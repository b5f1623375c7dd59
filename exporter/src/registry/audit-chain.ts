import { createHash } from 'node:crypto';
import type { AuditEntry } from './types.js';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and no whitespace, so that the same entry
 * hashes the same whichever process, dialect or driver wrote or read it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/** What the hash covers: every field of the entry except the hash itself. */
export function hashedContent(e: Omit<AuditEntry, 'hash' | 'prevHash'>): unknown {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    action: e.action,
    model: e.model,
    version: e.version,
    reason: e.reason,
    before: e.before,
    after: e.after,
  };
}

/** hash = sha256(prev_hash + canonical JSON of the entry), hex. */
export function chainHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(hashedContent(e)), 'utf8')
    .digest('hex');
}

export type ChainProblem = 'id gap' | 'prev_hash mismatch' | 'hash mismatch' | 'head mismatch';

export interface ChainVerification {
  ok: boolean;
  entries: number;
  firstBrokenId?: number;
  problem?: ChainProblem;
}

/**
 * Walks the chain in id order. Feed it pages; it remembers where the previous page ended.
 * The head (last id and hash recorded by the writers) catches a log truncated at its tail.
 */
export class ChainVerifier {
  private expectedId = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken?: { id: number; problem: ChainProblem };

  /** Returns false once the chain is known to be broken (no need to read further). */
  feed(entries: readonly AuditEntry[]): boolean {
    for (const e of entries) {
      if (this.broken) return false;
      if (e.id !== this.expectedId) this.broken = { id: this.expectedId, problem: 'id gap' };
      else if (e.prevHash !== this.prevHash) this.broken = { id: e.id, problem: 'prev_hash mismatch' };
      else if (chainHash(e.prevHash, e) !== e.hash) this.broken = { id: e.id, problem: 'hash mismatch' };
      else {
        this.count += 1;
        this.expectedId += 1;
        this.prevHash = e.hash;
      }
    }
    return !this.broken;
  }

  finish(head: { lastId: number; lastHash: string }): ChainVerification {
    if (!this.broken && (head.lastId !== this.expectedId - 1 || head.lastHash !== this.prevHash)) {
      const lastRead = this.expectedId - 1;
      // Past the readable tail: rows were removed. Before it: rows were added behind the writers' back.
      const id = head.lastId > lastRead ? this.expectedId : head.lastId < lastRead ? head.lastId + 1 : lastRead;
      this.broken = { id, problem: 'head mismatch' };
    }
    return this.broken
      ? { ok: false, entries: this.count, firstBrokenId: this.broken.id, problem: this.broken.problem }
      : { ok: true, entries: this.count };
  }
}
