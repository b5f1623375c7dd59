import { generateToken, hashSecret } from './token-secret.js';
import type { StoredToken } from '../registry/types.js';
import type { TokenLookup } from './authenticator.js';

export interface TokenRows extends TokenLookup {
  insert(token: StoredToken): Promise<void>;
}

/** Fixed id of the admin token generated on first start when MODELWATCH_ADMIN_TOKEN is unset. */
export const BOOTSTRAP_TOKEN_ID = 'bootstrapadm';

/**
 * Without MODELWATCH_ADMIN_TOKEN, the first start creates an admin token and returns it so
 * that it can be printed once; later starts find its hash and return undefined.
 */
export async function ensureBootstrapAdmin(tokens: TokenRows, nowIso: string): Promise<string | undefined> {
  if (await tokens.get(BOOTSTRAP_TOKEN_ID)) return undefined;
  const { secret } = generateToken();
  await tokens.insert({
    id: BOOTSTRAP_TOKEN_ID,
    name: 'bootstrap-admin',
    role: 'admin',
    secretHash: hashSecret(secret),
    createdAt: nowIso,
    createdBy: 'system',
    revokedAt: null,
  });
  return `mw_${BOOTSTRAP_TOKEN_ID}_${secret}`;
}
