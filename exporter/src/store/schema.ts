import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for the typed query builder. Timestamps are ISO-8601 strings in both dialects
 * so that rows compare and hash identically on SQLite and PostgreSQL.
 */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  /** sha256 of the secret, hex. The secret itself is never stored. */
  secret_hash: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export interface ReferenceProfilesTable {
  model: string;
  version: string;
  /** JSON of the ReferenceProfile (see stats/reference-profile.ts). */
  profile: string;
  updated_at: string;
}

export interface Database {
  api_tokens: ApiTokensTable;
  reference_profiles: ReferenceProfilesTable;
}

export type { ColumnType, Generated };
