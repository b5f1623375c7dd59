import { hashSecret, parseToken, secretMatches } from './token-secret.js';
import { isRole, type Role } from './roles.js';
import { grafanaActor } from './forwarded-user.js';
import type { StoredToken } from '../registry/types.js';

/** Where stored tokens are found (store/token-store.ts); auth itself runs no SQL. */
export interface TokenLookup {
  get(id: string): Promise<StoredToken | undefined>;
}

export interface Principal {
  /**
   * Who acted, as written to the audit log: `token:<name>`, `admin` for the environment admin
   * token, or `grafana:<login> via token:<name> (<id>)` when the token designated for Grafana
   * forwards its signed-in user (auth/forwarded-user.ts).
   */
  actor: string;
  role: Role;
  tokenId?: string;
  /** The Grafana login the action is attributed to, when trusted. */
  grafanaUser?: string;
}

/**
 * Resolves bearer tokens to principals. MODELWATCH_ADMIN_TOKEN is held only as a hash in
 * memory; every other token (including a generated bootstrap admin) is a hashed row.
 */
export class Authenticator {
  private readonly adminHash?: string;

  /**
   * @param grafanaTokenId id of the one token whose X-Grafana-User header is trusted
   *   (MODELWATCH_GRAFANA_TOKEN_ID); from any other token the header is ignored, so a caller
   *   cannot name someone else as the actor.
   */
  constructor(
    private readonly tokens: TokenLookup,
    adminToken?: string,
    private readonly grafanaTokenId?: string,
  ) {
    this.adminHash = adminToken ? hashSecret(adminToken) : undefined;
  }

  /**
   * @param grafanaLogin the already-validated X-Grafana-User login, if the request carried one.
   * @returns the principal, or undefined for a missing, unknown, revoked or wrong token.
   */
  async authenticate(bearer: string, grafanaLogin?: string): Promise<Principal | undefined> {
    if (this.adminHash && secretMatches(bearer, this.adminHash)) return { actor: 'admin', role: 'admin' };
    const parsed = parseToken(bearer);
    if (!parsed) return undefined;
    const stored = await this.tokens.get(parsed.id);
    if (!stored || stored.revokedAt !== null || !isRole(stored.role)) return undefined;
    if (!secretMatches(parsed.secret, stored.secretHash)) return undefined;
    const tokenActor = `token:${stored.name}`;
    if (grafanaLogin !== undefined && this.grafanaTokenId !== undefined && stored.id === this.grafanaTokenId) {
      return { actor: grafanaActor(grafanaLogin, tokenActor, stored.id), role: stored.role, tokenId: stored.id, grafanaUser: grafanaLogin };
    }
    return { actor: tokenActor, role: stored.role, tokenId: stored.id };
  }
}
