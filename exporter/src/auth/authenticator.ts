import { hashSecret, parseToken, secretMatches } from './token-secret.js';
import { isRole, type Role } from './roles.js';
import type { StoredToken } from '../registry/types.js';

/** Where stored tokens are found (store/token-store.ts); auth itself runs no SQL. */
export interface TokenLookup {
  get(id: string): Promise<StoredToken | undefined>;
}

export interface Principal {
  /** Who acted, as written to the audit log: `token:<name>` or `admin` for the bootstrap token. */
  actor: string;
  role: Role;
  tokenId?: string;
}

/**
 * Resolves bearer tokens to principals. MODELWATCH_ADMIN_TOKEN is held only as a hash in
 * memory; every other token (including a generated bootstrap admin) is a hashed row.
 */
export class Authenticator {
  private readonly adminHash?: string;

  constructor(
    private readonly tokens: TokenLookup,
    adminToken?: string,
  ) {
    this.adminHash = adminToken ? hashSecret(adminToken) : undefined;
  }

  async authenticate(bearer: string): Promise<Principal | undefined> {
    if (this.adminHash && secretMatches(bearer, this.adminHash)) return { actor: 'admin', role: 'admin' };
    const parsed = parseToken(bearer);
    if (!parsed) return undefined;
    const stored = await this.tokens.get(parsed.id);
    if (!stored || stored.revokedAt !== null || !isRole(stored.role)) return undefined;
    if (!secretMatches(parsed.secret, stored.secretHash)) return undefined;
    return { actor: `token:${stored.name}`, role: stored.role, tokenId: stored.id };
  }
}
