import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Token format: `mw_<id>_<secret>`. The id finds the stored row; the secret is compared by
 * its sha256 in constant time. Secrets are 256-bit random, so a plain (unsalted) hash is
 * enough: there is no dictionary to attack.
 */
const TOKEN_PATTERN = /^mw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  id: string;
  secret: string;
}

export function generateToken(): { id: string; secret: string; token: string } {
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12)
    .padEnd(12, '0');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `mw_${id}_${secret}` };
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
