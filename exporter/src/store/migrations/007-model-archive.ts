import type { Kysely } from 'kysely';

/**
 * A model can be retired (archived) once nothing of it is in production: `archived_at` says when;
 * null for a model in use. Listings hide archived models unless asked (issue 14).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('models').addColumn('archived_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('models').dropColumn('archived_at').execute();
}
