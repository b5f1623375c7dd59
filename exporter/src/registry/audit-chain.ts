import { createHash, createHmac } from 'node:crypto';
import type { AuditEntry } from './types.js';

/**
 * The keys of the audit chain (DESIGN.md "Integrity"). Entries are HMAC-SHA256 under a key that
 * lives outside the database (environment or secret file, auth/audit-keys.ts), so someone who
 * can write the tables but not read the key cannot forge, edit or re-chain entries unseen. Each
 * entry records the id of the key it was written with; retired keys stay in the ring so that old
 * entries still verify after a rotation.
 */
export interface AuditKeyRing {
  current: { id: string; secret: Buffer };
  /** The secret of a key id, current or retired; undefined when unknown. */
  get(id: string): Buffer | undefined;
}

/** The id stored beside an entry: 12 hex digits of sha256 over the key, never the key. */
export function keyIdOf(secret: Buffer): string {
  return createHash('sha256').update('modelwatch audit key id\0').update(secret).digest('hex').slice(0, 12);
}

export function keyRingOf(secrets: readonly Buffer[]): AuditKeyRing {
  if (secrets.length === 0) throw new Error('an audit key ring needs at least one key');
  const byId = new Map(secrets.map((k) => [keyIdOf(k), k]));
  const current = secrets[secrets.length - 1];
  return { current: { id: keyIdOf(current), secret: current }, get: (id) => byId.get(id) };
}

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
export function hashedContent(e: Omit<AuditEntry, 'hash' | 'prevHash' | 'keyId'>): unknown {
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

/**
 * hash = HMAC-SHA256(key, prev_hash + canonical JSON of the entry), hex. Without a key (entries
 * written before the chain was keyed, key_id null): plain sha256 of the same bytes.
 */
export function chainHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash' | 'keyId'>, key?: Buffer): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(prevHash + canonicalJson(hashedContent(e)), 'utf8').digest('hex');
}

export type ChainProblem =
  | 'id gap'
  | 'prev_hash mismatch'
  | 'hash mismatch'
  | 'unknown key'
  | 'unkeyed entry after keyed ones'
  | 'head mismatch'
  | 'head behind a published checkpoint'
  | 'checkpoint mismatch';

export interface BrokenEntry {
  id: number;
  problem: ChainProblem;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  firstBrokenId?: number;
  problem?: ChainProblem;
  /** Every break found, in id order, at most MAX_LISTED of them (only when broken). */
  broken?: BrokenEntry[];
  /** How many breaks there are in all (only when broken). */
  brokenCount?: number;
  /** Entries written before the chain was keyed, which prove integrity against accidents only (when any). */
  unkeyedEntries?: number;
}

/** A head published outside the database (a checkpoint log line, the highest head seen). */
export interface PublishedHead {
  id: number;
  hash: string;
}

const MAX_LISTED = 100;

/**
 * Walks the chain in id order and reports every break, not just the first, so that one break
 * (a lone bad entry) cannot hide another (tampering further on). After a break it carries on
 * from the stored row: an edited entry is one break, a removed range one gap.
 * Feed it pages; it remembers where the previous page ended.
 */
export class ChainVerifier {
  private expectedId = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private unkeyed = 0;
  private keyedSeen = false;
  private readonly broken: BrokenEntry[] = [];
  private brokenCount = 0;
  private readonly checkpointHashes = new Map<number, string>();
  private readonly seenCheckpoints = new Set<number>();

  /** `published`: heads recorded outside the database that this chain must still contain. */
  constructor(
    private readonly keys: AuditKeyRing,
    private readonly published: readonly PublishedHead[] = [],
  ) {
    for (const p of published) if (p.id > 0) this.checkpointHashes.set(p.id, p.hash);
  }

  private fail(id: number, problem: ChainProblem): void {
    this.brokenCount += 1;
    if (this.broken.length < MAX_LISTED) this.broken.push({ id, problem });
  }

  feed(entries: readonly AuditEntry[]): void {
    for (const e of entries) {
      this.count += 1;
      if (e.id !== this.expectedId) this.fail(this.expectedId, 'id gap');
      if (e.prevHash !== this.prevHash) this.fail(e.id, 'prev_hash mismatch');
      if (e.keyId === null) {
        this.unkeyed += 1;
        if (this.keyedSeen) this.fail(e.id, 'unkeyed entry after keyed ones');
        else if (chainHash(e.prevHash, e) !== e.hash) this.fail(e.id, 'hash mismatch');
      } else {
        this.keyedSeen = true;
        const key = this.keys.get(e.keyId);
        if (!key) this.fail(e.id, 'unknown key');
        else if (chainHash(e.prevHash, e, key) !== e.hash) this.fail(e.id, 'hash mismatch');
      }
      const published = this.checkpointHashes.get(e.id);
      if (published !== undefined) {
        this.seenCheckpoints.add(e.id);
        if (published !== e.hash) this.fail(e.id, 'checkpoint mismatch');
      }
      this.expectedId = e.id + 1;
      this.prevHash = e.hash;
    }
  }

  /** `head`: the head row the writers keep in the database. */
  finish(head: { lastId: number; lastHash: string }): ChainVerification {
    const lastRead = this.expectedId - 1;
    if (head.lastId !== lastRead || head.lastHash !== this.prevHash) {
      // Past the readable tail: rows were removed. Before it: rows were added behind the writers' back.
      const id = head.lastId > lastRead ? this.expectedId : head.lastId < lastRead ? head.lastId + 1 : lastRead;
      this.fail(id, 'head mismatch');
    }
    const highest = Math.max(0, ...this.published.map((p) => p.id));
    if (highest > lastRead) this.fail(lastRead + 1, 'head behind a published checkpoint');
    for (const p of this.published)
      if (p.id > 0 && p.id <= lastRead && !this.seenCheckpoints.has(p.id)) this.fail(p.id, 'checkpoint mismatch');
    this.broken.sort((a, b) => a.id - b.id);
    const first = this.broken[0];
    return {
      ok: this.brokenCount === 0,
      entries: this.count,
      ...(first ? { firstBrokenId: first.id, problem: first.problem, broken: this.broken, brokenCount: this.brokenCount } : {}),
      ...(this.unkeyed ? { unkeyedEntries: this.unkeyed } : {}),
    };
  }
}
