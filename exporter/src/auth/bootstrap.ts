import { generateToken, hashSecret } from './token-secret.js';
import type { TokenStore } from '../store/token-store.js';

/** Fixed id of the admin token generated on first start when MODELWATCH_ADMIN_TOKEN is unset. */
export const BOOTSTRAP_TOKEN_ID = 'bootstrapadm';

/**
 * Without MODELWATCH_ADMIN_TOKEN, the first start creates an admin token and returns it so
 * that it can be printed once; later starts find its hash and return undefined.
 */
export async function ensureBootstrapAdmin(tokens: TokenStore, nowIso: string): Promise<string | undefined> {
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
