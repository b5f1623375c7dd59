import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface VersionSnapshotRow {
  version: string;
  lastSeenMs: number;
  state: Uint8Array;
}

/** One model's snapshot: its model-level state and the versions it keeps. */
export interface ModelSnapshotWrite {
  model: string;
  generation: string;
  writtenMs: number;
  state: Uint8Array;
  /** Versions whose state changed; rows of other versions in `keep` stay as they are. */
  versions: VersionSnapshotRow[];
  /** Every version the model still tracks; rows of versions not listed are deleted. */
  keep: string[];
  /** The last ingest journal seq applied when the model was encoded (src/durable/journal.ts). */
  journalSeq?: number;
}

export interface StoredModelSnapshot {
  model: string;
  generation: string;
  /** The last ingest journal seq the snapshot covers; journal rows after it are replayed onto it. */
  journalSeq?: number;
  state: Uint8Array;
  versions: VersionSnapshotRow[];
}

/**
 * Window snapshots in the shared store, keyed by model and version so that any replica can
 * continue a model's windows. Rows are replaced, never appended: the tables hold at most one
 * row per tracked model and version (see `prune` for the versions that retire).
 */
export class SnapshotStore {
  constructor(private readonly db: Kysely<Database>) {}

  async generations(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('model_snapshots').select(['model', 'generation']).execute();
    return new Map(rows.map((r) => [r.model, r.generation]));
  }

  async generation(model: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('model_snapshots').select('generation').where('model', '=', model).executeTakeFirst();
    return row?.generation;
  }

  /** A model's snapshot, its model row and version rows read in one transaction (consistent). */
  async load(model: string): Promise<StoredModelSnapshot | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const m = await tx.selectFrom('model_snapshots').selectAll().where('model', '=', model).executeTakeFirst();
      if (!m) return undefined;
      const versions = await tx
        .selectFrom('version_snapshots')
        .select(['version', 'last_seen_ms', 'state'])
        .where('model', '=', model)
        .execute();
      return {
        model,
        generation: m.generation,
        journalSeq: seqOf(m.journal_seq),
        state: m.state,
        versions: versions.map((v) => ({ version: v.version, lastSeenMs: Number(v.last_seen_ms), state: v.state })),
      };
    });
  }

  /** Several models' snapshots (those that exist), read in one transaction: restore at start pages through them. */
  async loadMany(models: string[]): Promise<StoredModelSnapshot[]> {
    if (models.length === 0) return [];
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom('model_snapshots').selectAll().where('model', 'in', models).execute();
      const versions = await tx
        .selectFrom('version_snapshots')
        .select(['model', 'version', 'last_seen_ms', 'state'])
        .where('model', 'in', models)
        .execute();
      const byModel = new Map<string, VersionSnapshotRow[]>();
      for (const v of versions) {
        let list = byModel.get(v.model);
        if (!list) byModel.set(v.model, (list = []));
        list.push({ version: v.version, lastSeenMs: Number(v.last_seen_ms), state: v.state });
      }
      return rows.map((m) => ({
        model: m.model,
        generation: m.generation,
        journalSeq: seqOf(m.journal_seq),
        state: m.state,
        versions: byModel.get(m.model) ?? [],
      }));
    });
  }

  /** Writes the models' snapshots in one transaction: a crash leaves the previous or the new state, never a mix. */
  async write(models: ModelSnapshotWrite[]): Promise<void> {
    if (models.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const m of models) {
        // The covered journal seq goes in the same row, so a crash leaves both old or both new.
        const row = { generation: m.generation, written_ms: m.writtenMs, state: m.state, journal_seq: m.journalSeq ?? null };
        await tx
          .insertInto('model_snapshots')
          .values({ model: m.model, ...row })
          .onConflict((oc) => oc.column('model').doUpdateSet(row))
          .execute();
        for (const v of m.versions) {
          await tx
            .insertInto('version_snapshots')
            .values({ model: m.model, version: v.version, last_seen_ms: v.lastSeenMs, state: v.state })
            .onConflict((oc) => oc.columns(['model', 'version']).doUpdateSet({ last_seen_ms: v.lastSeenMs, state: v.state }))
            .execute();
        }
        let gone = tx.deleteFrom('version_snapshots').where('model', '=', m.model);
        if (m.keep.length > 0) gone = gone.where('version', 'not in', m.keep);
        await gone.execute();
      }
    });
  }

  /**
   * Deletes what can no longer be restored usefully: versions idle since before `idleBeforeMs`
   * (their windows are empty), versions archived in the registry after they were last seen,
   * and model rows not written since `idleBeforeMs` that have no version left.
   * Returns the number of rows deleted.
   */
  async prune(idleBeforeMs: number): Promise<number> {
    let deleted = 0;
    const idle = await this.db.deleteFrom('version_snapshots').where('last_seen_ms', '<', idleBeforeMs).executeTakeFirst();
    deleted += Number(idle.numDeletedRows);
    const archived = await this.db
      .selectFrom('version_snapshots as s')
      .innerJoin('model_versions as v', (j) => j.onRef('v.model', '=', 's.model').onRef('v.version', '=', 's.version'))
      .select(['s.model', 's.version', 's.last_seen_ms', 'v.stage_changed_at'])
      .where('v.stage', '=', 'archived')
      .execute();
    for (const a of archived) {
      if (Number(a.last_seen_ms) >= Date.parse(a.stage_changed_at)) continue;
      const r = await this.db
        .deleteFrom('version_snapshots')
        .where('model', '=', a.model)
        .where('version', '=', a.version)
        .where('last_seen_ms', '=', a.last_seen_ms)
        .executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
    const models = await this.db
      .deleteFrom('model_snapshots')
      .where('written_ms', '<', idleBeforeMs)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('version_snapshots').select('version').whereRef('version_snapshots.model', '=', 'model_snapshots.model'))),
      )
      .executeTakeFirst();
    deleted += Number(models.numDeletedRows);
    return deleted;
  }

  /** Row counts, for tests and the bench. */
  async size(): Promise<{ models: number; versions: number; bytes: number }> {
    const m = await this.db.selectFrom('model_snapshots').select('state').execute();
    const v = await this.db.selectFrom('version_snapshots').select('state').execute();
    const bytes = [...m, ...v].reduce((n, r) => n + r.state.byteLength, 0);
    return { models: m.length, versions: v.length, bytes };
  }
}

/** PostgreSQL returns double precision as a number, SQLite too; null means no journal. */
function seqOf(v: number | string | null): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}
