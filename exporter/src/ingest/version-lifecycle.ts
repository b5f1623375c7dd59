import type { Config } from '../config/config.js';
import { OTHER } from './bounded-names.js';
import { ModelState } from './model-state.js';
import type { ReferenceProfile } from './reference-profile.js';
import { VersionState, type WindowGeometry } from './version-state.js';
import { activeTxn } from '../windows/txn.js';

/**
 * Which models and versions are tracked, within the configured bounds: models are created on
 * first sight up to MODELWATCH_MAX_MODELS; versions up to MODELWATCH_MAX_VERSIONS_PER_MODEL,
 * beyond which an idle version is retired or the events fold into version `__other__`.
 * Reference profiles are kept here too (also for versions not tracked yet), so a version
 * created later starts with its reference.
 */
export class VersionLifecycle {
  readonly models = new Map<string, ModelState>();
  private readonly profiles = new Map<string, Map<string, ReferenceProfile>>();
  private readonly geometry: WindowGeometry;
  private readonly windowMs: number;

  constructor(private readonly config: Config) {
    this.windowMs = config.windowSeconds * 1000;
    this.geometry = {
      fineMs: config.windowResolutionSeconds * 1000,
      fineBuckets: config.windowSeconds / config.windowResolutionSeconds,
      coarseMs: config.sketchResolutionSeconds * 1000,
      coarseBuckets: config.windowSeconds / config.sketchResolutionSeconds,
      maxCategories: config.limits.maxCategoriesPerFeature,
    };
  }

  /** Remembers a version's reference profile; applied to the version now or when it is created. */
  setProfile(modelName: string, versionName: string, profile: ReferenceProfile): void {
    let byVersion = this.profiles.get(modelName);
    const txn = activeTxn();
    if (!byVersion) {
      this.profiles.set(modelName, (byVersion = new Map()));
      txn?.onRollback(() => this.profiles.delete(modelName));
    }
    const old = byVersion.get(versionName);
    byVersion.set(versionName, profile);
    const versions = byVersion;
    txn?.onRollback(() => (old ? versions.set(versionName, old) : versions.delete(versionName)));
  }

  /** Whether a reference for this model/version can be tracked now (limits), without changing anything. */
  canTrack(modelName: string, versionName: string, now: number): { ok: true } | { ok: false; reason: string } {
    const model = this.models.get(modelName);
    if (!model) {
      return this.models.size < this.config.limits.maxModels
        ? { ok: true }
        : { ok: false, reason: `model limit reached (MODELWATCH_MAX_MODELS=${this.config.limits.maxModels})` };
    }
    if (model.versions.has(versionName) || model.versions.size < this.config.limits.maxVersionsPerModel || this.idleVersion(model, now))
      return { ok: true };
    return {
      ok: false,
      reason: `version limit reached for model ${modelName} (MODELWATCH_MAX_VERSIONS_PER_MODEL=${this.config.limits.maxVersionsPerModel}) and no version is idle`,
    };
  }

  /** The model's state, created on first sight; undefined beyond MODELWATCH_MAX_MODELS. */
  modelFor(name: string): ModelState | undefined {
    let model = this.models.get(name);
    if (model) return model;
    if (this.models.size >= this.config.limits.maxModels) return undefined;
    const l = this.config.limits;
    model = new ModelState(name, {
      maxVersions: l.maxVersionsPerModel,
      maxClasses: l.maxClassesPerModel,
      maxKpis: l.maxKpisPerModel,
      maxErrorReasons: this.config.maxErrorReasonsPerModel,
      maxLabelValueLength: l.maxLabelValueLength,
    });
    this.models.set(name, model);
    activeTxn()?.onRollback(() => this.models.delete(name));
    return model;
  }

  /**
   * The version's state, created on first sight. Beyond the per-model bound, the least recently
   * seen version that has been idle for a whole window is evicted to make room (its series end);
   * if none is idle, events are counted under version `__other__`.
   */
  versionFor(model: ModelState, name: string, now: number): { version?: VersionState; folded: boolean } {
    const known = model.versions.get(name);
    if (known) return { version: known, folded: false };
    model.touch();
    const tracked = [...model.versions.keys()].filter((k) => k !== OTHER).length;
    if (tracked >= this.config.limits.maxVersionsPerModel) {
      const idle = this.idleVersion(model, now);
      if (!idle) return { version: this.otherVersion(model), folded: true };
      model.versions.delete(idle.name);
    }
    const v = new VersionState(name, model.label, this.geometry);
    v.lastSeen = now;
    if (model.task) v.ensureTaskWindows(model.task);
    const profile = this.profiles.get(model.name)?.get(name);
    if (profile) v.setReference(profile);
    model.versions.set(name, v);
    return { version: v, folded: false };
  }

  private otherVersion(model: ModelState): VersionState {
    let v = model.versions.get(OTHER);
    if (!v) {
      v = new VersionState(OTHER, model.label, this.geometry);
      if (model.task) v.ensureTaskWindows(model.task);
      model.versions.set(OTHER, v);
    }
    return v;
  }

  private idleVersion(model: ModelState, now: number): VersionState | undefined {
    let oldest: VersionState | undefined;
    for (const v of model.versions.values()) {
      if (v.name === OTHER || v.lastSeen > now - this.windowMs) continue;
      if (!oldest || v.lastSeen < oldest.lastSeen) oldest = v;
    }
    return oldest;
  }
}
