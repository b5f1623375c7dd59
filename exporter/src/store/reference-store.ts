import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditKeyRing } from '../registry/audit-chain.js';
import { auditDraft } from '../registry/audit-draft.js';
import type { AuditEntry } from '../registry/types.js';
import { auditedWrite } from './audited-write.js';
import type { Database } from './schema.js';

export interface StoredReference {
  model: string;
  version: string;
  profileJson: string;
  updatedAt: string;
}

/** What the audit log keeps of an upload: counts and a digest, never the sample itself. */
export interface ReferenceUploadSummary {
  /** Features profiled (tracked), and those beyond the per-model bound. */
  features: number;
  droppedFeatures: number;
  /** The most values given for any one feature (features may have different sample sizes). */
  samples: number;
}

/** The audit action of an accepted reference upload. */
export const REFERENCE_AUDIT_ACTION = 'version.reference';

/** Hex sha256 of the stored profile JSON, so a stored profile can be matched to its audit entry. */
export function profileDigest(profileJson: string): string {
  return createHash('sha256').update(profileJson).digest('hex');
}

/** Reference (training) profiles that drift is measured against; they survive restarts. */
export class ReferenceStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: AuditKeyRing,
  ) {}

  /**
   * Stores (or replaces) a version's profile and its `version.reference` audit entry in one
   * audited transaction (audited-write.ts): both commit or neither does. The entry's `before`
   * is the replaced profile's digest and time (null for a first upload), `after` the counts
   * and digest of the new one. `inside`, when given, runs in the same transaction after both
   * are written and before the commit (a reference upload's journal row and in-memory apply,
   * src/durable/journal.ts): what it throws rolls all of it back.
   */
  async put(
    ref: StoredReference,
    actor: string,
    summary: ReferenceUploadSummary,
    inside?: (tx: Transaction<Database>) => Promise<void>,
  ): Promise<AuditEntry> {
    return auditedWrite(this.db, this.keys, async (tx, appendAudit) => {
      const previous = await tx
        .selectFrom('reference_profiles')
        .select(['profile', 'updated_at'])
        .where('model', '=', ref.model)
        .where('version', '=', ref.version)
        .executeTakeFirst();
      await tx
        .insertInto('reference_profiles')
        .values({ model: ref.model, version: ref.version, profile: ref.profileJson, updated_at: ref.updatedAt })
        .onConflict((oc) => oc.columns(['model', 'version']).doUpdateSet({ profile: ref.profileJson, updated_at: ref.updatedAt }))
        .execute();
      const entry = await appendAudit(
        auditDraft(ref.updatedAt, actor, REFERENCE_AUDIT_ACTION, {
          model: ref.model,
          version: ref.version,
          before: previous ? { profile_sha256: profileDigest(previous.profile), updated_at: previous.updated_at } : null,
          after: {
            features: summary.features,
            dropped_features: summary.droppedFeatures,
            samples: summary.samples,
            profile_sha256: profileDigest(ref.profileJson),
          },
        }),
      );
      await inside?.(tx);
      return entry;
    });
  }

  async list(): Promise<StoredReference[]> {
    const rows = await this.db.selectFrom('reference_profiles').selectAll().orderBy('model').orderBy('version').execute();
    return rows.map((r) => ({ model: r.model, version: r.version, profileJson: r.profile, updatedAt: r.updated_at }));
  }
}
