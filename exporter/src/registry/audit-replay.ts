import { canonicalJson } from './audit-chain.js';
import { effectiveGates } from './gates.js';
import type { AuditEntry, GateOverrides, Stage } from './types.js';

/**
 * The state tables as they are, for replay (one row per thing the audit log describes).
 * Read in the same transaction as the tail of the chain, so that both describe one moment.
 */
export interface AuditedState {
  models: { name: string; gates: GateOverrides | null; archived: boolean }[];
  versions: { model: string; version: string; stage: Stage }[];
  tokens: { id: string; role: string; revoked: boolean; createdBy: string }[];
  webhooks: { id: string; url: string; events: string[] }[];
  /** Each stored reference profile with the hex sha256 of its stored JSON (reference-store.ts `profileDigest`). */
  references: { model: string; version: string; profileSha256: string }[];
}

/** A row whose state the audit log does not explain. */
export interface UnexplainedRow {
  table: 'models' | 'model_versions' | 'api_tokens' | 'webhooks' | 'reference_profiles';
  key: string;
  problem: string;
}

/**
 * The admin token auth/bootstrap.ts creates at first start, before any audited write exists:
 * the one row the log is not expected to explain (its role must still be admin).
 */
const BOOTSTRAP_TOKEN = { id: 'bootstrapadm', createdBy: 'system', role: 'admin' };

const MAX_LISTED = 100;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Replays the audit log into the state it describes — each version's stage, each model's
 * gates, each token's role and revocation, each webhook subscription, the sha256 of each stored
 * reference profile — and compares that with the tables. A row changed by SQL behind the registry's back (a stage set by hand, a viewer
 * token made admin, a subscription inserted, a reference profile edited) is reported, even though the chain itself is
 * intact. Only what the log records can be checked: see the README's security section.
 */
export class StateReplayer {
  private readonly models = new Map<string, string>();
  private readonly archivedModels = new Set<string>();
  private readonly versions = new Map<string, Stage>();
  private readonly tokens = new Map<string, { role: string; revoked: boolean }>();
  private readonly webhooks = new Map<string, { origin: string; events: string }>();
  /** The digest of each version's reference profile as its last `version.reference` entry logged it, with that entry's id. */
  private readonly references = new Map<string, { sha256: string; entryId: number }>();

  feed(entries: readonly AuditEntry[]): void {
    for (const e of entries) this.apply(e);
  }

  private apply(e: AuditEntry): void {
    const before = obj(e.before);
    const after = obj(e.after);
    const vkey = (model: string | null, version: string | null | undefined) => `${model ?? ''}\u0000${version ?? ''}`;
    switch (e.action) {
      case 'model.create':
        if (e.model) this.models.set(e.model, canonicalJson(effectiveGates(null)));
        break;
      case 'model.gates.update':
        if (e.model) this.models.set(e.model, canonicalJson(after.gates ?? null));
        break;
      case 'model.archive':
        if (e.model) this.archivedModels.add(e.model);
        for (const v of Array.isArray(after.archived_versions) ? after.archived_versions : [])
          if (typeof v === 'string') this.versions.set(vkey(e.model, v), 'archived');
        break;
      case 'model.delete':
        if (e.model) {
          this.models.delete(e.model);
          this.archivedModels.delete(e.model);
          const prefix = vkey(e.model, '');
          for (const key of [...this.versions.keys()]) if (key.startsWith(prefix)) this.versions.delete(key);
        }
        break;
      case 'version.register':
        this.versions.set(vkey(e.model, e.version), 'development');
        break;
      case 'version.transition':
      case 'version.transition.forced': {
        const stage = str(after.stage) as Stage | undefined;
        if (stage) this.versions.set(vkey(e.model, e.version), stage);
        const archived = str(after.archived_version);
        if (archived) this.versions.set(vkey(e.model, archived), 'archived');
        break;
      }
      case 'model.rollback': {
        this.versions.set(vkey(e.model, e.version), 'production');
        const archived = str(after.archived_version) ?? str(before.production_version);
        if (archived) this.versions.set(vkey(e.model, archived), 'archived');
        break;
      }
      case 'version.reference': {
        // A deleted model's profiles stay in reference_profiles (only its registry rows go), so
        // model.delete leaves these alone; a new upload for the same name supersedes them.
        const sha256 = str(after.profile_sha256);
        if (sha256) this.references.set(vkey(e.model, e.version), { sha256, entryId: e.id });
        break;
      }
      case 'token.create': {
        const id = str(after.id);
        if (id) this.tokens.set(id, { role: str(after.role) ?? '', revoked: false });
        break;
      }
      case 'token.revoke': {
        const id = str(before.id);
        const t = id ? this.tokens.get(id) : undefined;
        if (id) this.tokens.set(id, { role: t?.role ?? str(before.role) ?? '', revoked: true });
        break;
      }
      case 'webhook.create': {
        const id = str(after.id);
        const events = Array.isArray(after.events) ? [...(after.events as string[])].sort() : [];
        if (id) this.webhooks.set(id, { origin: str(after.url_origin) ?? '', events: events.join(',') });
        break;
      }
      case 'webhook.delete': {
        const id = str(before.id);
        if (id) this.webhooks.delete(id);
        break;
      }
      default:
        break;
    }
  }

  /** Every row the replayed log does not explain, and every logged thing missing from the tables. */
  compare(state: AuditedState): { unexplained: UnexplainedRow[]; count: number } {
    const out: UnexplainedRow[] = [];
    let count = 0;
    const report = (row: UnexplainedRow) => {
      count += 1;
      if (out.length < MAX_LISTED) out.push(row);
    };

    const seenModels = new Set<string>();
    for (const m of state.models) {
      seenModels.add(m.name);
      const logged = this.models.get(m.name);
      if (logged === undefined) report({ table: 'models', key: m.name, problem: 'no audit entry created this model' });
      else if (logged !== canonicalJson(effectiveGates(m.gates)))
        report({ table: 'models', key: m.name, problem: 'gates differ from the last audited gate change' });
      if (logged !== undefined && m.archived !== this.archivedModels.has(m.name))
        report({ table: 'models', key: m.name, problem: m.archived ? 'archived without an audit entry' : 'the audit log says archived' });
    }
    for (const name of this.models.keys())
      if (!seenModels.has(name)) report({ table: 'models', key: name, problem: 'audited model missing from the table' });

    const seenVersions = new Set<string>();
    for (const v of state.versions) {
      const key = `${v.model}\u0000${v.version}`;
      seenVersions.add(key);
      const logged = this.versions.get(key);
      const shown = `${v.model} ${v.version}`;
      if (logged === undefined) report({ table: 'model_versions', key: shown, problem: 'no audit entry registered this version' });
      else if (logged !== v.stage)
        report({ table: 'model_versions', key: shown, problem: `stage is ${v.stage}; the audit log says ${logged}` });
    }
    for (const key of this.versions.keys())
      if (!seenVersions.has(key))
        report({ table: 'model_versions', key: key.replace('\u0000', ' '), problem: 'audited version missing from the table' });

    const seenTokens = new Set<string>();
    for (const t of state.tokens) {
      seenTokens.add(t.id);
      const logged = this.tokens.get(t.id);
      if (logged === undefined) {
        const bootstrap = t.id === BOOTSTRAP_TOKEN.id && t.createdBy === BOOTSTRAP_TOKEN.createdBy && t.role === BOOTSTRAP_TOKEN.role;
        if (!bootstrap) report({ table: 'api_tokens', key: t.id, problem: 'no audit entry created this token' });
        continue;
      }
      if (logged.role !== t.role)
        report({ table: 'api_tokens', key: t.id, problem: `role is ${t.role}; the audit log says ${logged.role}` });
      if (logged.revoked !== t.revoked)
        report({
          table: 'api_tokens',
          key: t.id,
          problem: logged.revoked ? 'revoked in the audit log but not in the table' : 'revoked without an audit entry',
        });
    }
    for (const id of this.tokens.keys())
      if (!seenTokens.has(id)) report({ table: 'api_tokens', key: id, problem: 'audited token missing from the table' });

    const seenHooks = new Set<string>();
    for (const h of state.webhooks) {
      seenHooks.add(h.id);
      const logged = this.webhooks.get(h.id);
      if (logged === undefined) {
        report({ table: 'webhooks', key: h.id, problem: 'no audit entry created this subscription' });
        continue;
      }
      let origin: string;
      try {
        origin = new URL(h.url).origin;
      } catch {
        origin = '';
      }
      if (origin !== logged.origin) report({ table: 'webhooks', key: h.id, problem: 'URL origin differs from the audited one' });
      if ([...h.events].sort().join(',') !== logged.events)
        report({ table: 'webhooks', key: h.id, problem: 'events differ from the audited ones' });
    }
    for (const id of this.webhooks.keys())
      if (!seenHooks.has(id)) report({ table: 'webhooks', key: id, problem: 'audited subscription missing from the table' });

    const seenReferences = new Set<string>();
    for (const r of state.references) {
      const key = `${r.model}\u0000${r.version}`;
      seenReferences.add(key);
      const logged = this.references.get(key);
      const shown = `${r.model} ${r.version}`;
      if (logged === undefined)
        report({ table: 'reference_profiles', key: shown, problem: 'no version.reference audit entry uploaded this profile' });
      else if (logged.sha256 !== r.profileSha256)
        report({
          table: 'reference_profiles',
          key: shown,
          problem: `profile sha256 ${r.profileSha256.slice(0, 12)}… differs from ${logged.sha256.slice(0, 12)}… logged in audit entry ${logged.entryId} (version.reference)`,
        });
    }
    for (const [key, logged] of this.references)
      if (!seenReferences.has(key))
        report({
          table: 'reference_profiles',
          key: key.replace('\u0000', ' '),
          problem: `profile uploaded in audit entry ${logged.entryId} (version.reference) missing from the table`,
        });

    return { unexplained: out, count };
  }
}
