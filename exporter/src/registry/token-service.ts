import { ConflictError, NotFoundError } from '../errors.js';
import { generateToken, hashSecret } from '../auth/token-secret.js';
import type { Role } from '../auth/roles.js';
import { auditDraft } from './audit-draft.js';
import type { RegistryStore } from './ports.js';
import type { StoredToken } from './types.js';

export interface TokenInfo {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** API tokens: issued and revoked by admins, audited like any registry change. */
export class TokenService {
  constructor(
    private readonly store: RegistryStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token is returned here and never again: only the hash of its secret is stored. */
  async create(name: string, role: Role, actor: string): Promise<TokenInfo & { token: string }> {
    const at = new Date(this.now()).toISOString();
    return this.store.write(async (tx) => {
      let generated = generateToken();
      // Ids are 12 random base36-ish characters; a collision is unlikely but cheap to rule out.
      while (await tx.getToken(generated.id)) generated = generateToken();
      const stored: StoredToken = {
        id: generated.id,
        name,
        role,
        secretHash: hashSecret(generated.secret),
        createdAt: at,
        createdBy: actor,
        revokedAt: null,
      };
      await tx.insertToken(stored);
      await tx.appendAudit(auditDraft(at, actor, 'token.create', { after: { id: stored.id, name, role } }));
      return { ...info(stored), token: generated.token };
    });
  }

  async list(): Promise<TokenInfo[]> {
    return (await this.store.listTokens()).map(info);
  }

  async revoke(id: string, actor: string): Promise<TokenInfo> {
    const at = new Date(this.now()).toISOString();
    return this.store.write(async (tx) => {
      const token = await tx.getToken(id);
      if (!token) throw new NotFoundError(`token ${id} not found`);
      if (token.revokedAt !== null) throw new ConflictError(`token ${id} was already revoked at ${token.revokedAt}`);
      await tx.revokeToken(id, at);
      await tx.appendAudit(
        auditDraft(at, actor, 'token.revoke', { before: { id, name: token.name, role: token.role }, after: { revoked_at: at } }),
      );
      return { ...info(token), revokedAt: at };
    });
  }
}

function info(t: StoredToken): TokenInfo {
  return { id: t.id, name: t.name, role: t.role, createdAt: t.createdAt, createdBy: t.createdBy, revokedAt: t.revokedAt };
}
