import type { Kysely } from 'kysely';
import type { StoredToken } from '../registry/types.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

/** API tokens (hashes only). `db` is the database or a transaction: KyselyRegistryStore builds one per write. */
export class TokenStore {
  constructor(private readonly db: Executor) {}

  async insert(token: StoredToken): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        name: token.name,
        role: token.role,
        secret_hash: token.secretHash,
        created_at: token.createdAt,
        created_by: token.createdBy,
        revoked_at: token.revokedAt,
      })
      .execute();
  }

  async get(id: string): Promise<StoredToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toToken(row) : undefined;
  }

  async list(): Promise<StoredToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
    return rows.map(toToken);
  }

  /** Returns false when the token does not exist or was already revoked. */
  async revoke(id: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}

function toToken(r: Database['api_tokens']): StoredToken {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
  };
}
