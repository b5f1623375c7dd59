import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface StoredReference {
  model: string;
  version: string;
  profileJson: string;
  updatedAt: string;
}

/** Reference (training) profiles that drift is measured against; they survive restarts. */
export class ReferenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(ref: StoredReference): Promise<void> {
    await this.db
      .insertInto('reference_profiles')
      .values({ model: ref.model, version: ref.version, profile: ref.profileJson, updated_at: ref.updatedAt })
      .onConflict((oc) => oc.columns(['model', 'version']).doUpdateSet({ profile: ref.profileJson, updated_at: ref.updatedAt }))
      .execute();
  }

  async list(): Promise<StoredReference[]> {
    const rows = await this.db.selectFrom('reference_profiles').selectAll().orderBy('model').orderBy('version').execute();
    return rows.map((r) => ({ model: r.model, version: r.version, profileJson: r.profile, updatedAt: r.updated_at }));
  }
}
