import type { Monitor } from '../ingest/monitor.js';
import type { ModelState } from '../ingest/model-state.js';
import type { VersionState } from '../ingest/version-state.js';
import type { StoredModelSnapshot } from '../store/snapshot-store.js';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.js';
import { openVersioned, seal } from './envelope.js';
import { encodeModel, readModel } from './model-codec.js';
import { readVersion, writeVersion } from './version-codec.js';

export function snapshotModel(m: ModelState): Buffer {
  return seal('model', encodeModel(m));
}

export function snapshotVersion(v: VersionState): Buffer {
  const w = new ByteWriter();
  writeVersion(w, v);
  return seal('version', w.finish());
}

/** A snapshot that could not be read, and why. */
export interface SkippedSnapshot {
  model: string;
  version?: string;
  reason: string;
}

/**
 * Replaces the monitor's state of one model with a stored snapshot. The model's references
 * (already in the monitor) are re-applied to each version, so drift windows restore onto the
 * same bins. A version row that cannot be read starts empty; a model row that cannot be read
 * leaves the model as it was. Each is reported in `skipped`; nothing is half-restored: a
 * version is either fully restored or fresh.
 */
export function restoreModel(monitor: Monitor, snap: StoredModelSnapshot, skipped: (s: SkippedSnapshot) => void): boolean {
  let decoded: ReturnType<typeof readModel>;
  try {
    const { body, format } = openVersioned('model', snap.state);
    decoded = readModel(new ByteReader(body), format);
  } catch (err) {
    if (!(err instanceof SnapshotFormatError)) throw err;
    skipped({ model: snap.model, reason: err.message });
    for (const v of snap.versions) skipped({ model: snap.model, version: v.version, reason: 'its model snapshot is unreadable' });
    return false;
  }
  // A model that only has its references so far (at start) is restored in place: its versions'
  // windows are already allocated, and allocating them all a second time would double the
  // garbage of a restart. Anything else is replaced whole.
  const existing = monitor.models.get(snap.model);
  if (!existing || !pristine(existing)) monitor.forgetModel(snap.model);
  const model = monitor.restoreModel(snap.model);
  if (!model) {
    skipped({ model: snap.model, reason: 'model limit reached' });
    return false;
  }
  const { header, pending, held, recent } = decoded;
  model.task = header.task;
  model.positiveClass = header.positiveClass;
  for (const c of header.classes) model.classes.indexOf(c);
  for (const e of header.errorReasons) model.errorReasons.indexOf(e);
  for (const [k, v] of header.kpis) model.kpis.set(k, v);
  model.feedbackUnknown = header.feedbackUnknown;
  for (const row of snap.versions) {
    const v = model.versions.get(row.version) ?? monitor.restoreVersion(model, row.version);
    if (!v) {
      skipped({ model: snap.model, version: row.version, reason: 'version limit reached' });
      continue;
    }
    try {
      const { body, format } = openVersioned('version', row.state);
      const r = new ByteReader(body);
      readVersion(r, v, model.task, format);
      if (!r.done) throw new SnapshotFormatError('trailing bytes after the version snapshot');
    } catch (err) {
      if (!(err instanceof SnapshotFormatError || err instanceof RangeError)) throw err;
      skipped({ model: snap.model, version: row.version, reason: err.message });
      // Replace whatever was partly read with a fresh version.
      model.versions.delete(row.version);
      monitor.restoreVersion(model, row.version);
    }
  }
  const restored = { pending: 0, held: 0, recent: 0 };
  // Snapshots before format 8 did not keep when a prediction started waiting: its version's last
  // batch is no earlier (so none expires before its time), and one time for all keeps the table
  // in arrival order, which expiry relies on; journal rows replayed after it are later still.
  let lastBatch = -Infinity;
  for (const v of model.versions.values()) if (v.lastSeen > 0) lastBatch = Math.max(lastBatch, v.lastSeen);
  const arrivedBefore = Number.isFinite(lastBatch) ? lastBatch : monitor.now();
  for (const p of pending) {
    const v = model.versions.get(p.version) ?? monitor.restoreVersion(model, p.version);
    if (!v) continue;
    model.pending.set(p.id, {
      version: v,
      pred: p.pred,
      predName: p.predName,
      score: p.score,
      probs: p.probs,
      ...(p.foldedScores ? { foldedScores: p.foldedScores } : {}),
      at: p.at,
      arrived: p.arrived ?? arrivedBefore,
    });
    if (p.at !== undefined) v.labelTracking.pending.add(p.at);
    restored.pending++;
  }
  for (const h of held) model.held.set(h.id, { label: h.label, at: h.at });
  restored.held = model.held.size;
  for (const r of recent) {
    const v = model.versions.get(r.version) ?? monitor.restoreVersion(model, r.version);
    if (v) model.recent.add(r.id, v, r.expired);
  }
  restored.recent = model.recent.size;
  monitor.countRestored(restored, model);
  // A snapshot written by a process whose clock was ahead of ours: window time goes on from it.
  monitor.absorbRestoredTime(model);
  return true;
}

/** Whether nothing but references reached the model: no event, label, KPI or interned name. */
function pristine(m: ModelState): boolean {
  if (m.pending.size || m.held.size || m.recent.size || m.kpis.size || m.classes.size || m.errorReasons.size || m.feedbackUnknown)
    return false;
  for (const v of m.versions.values()) if (v.predictions || v.labeled || v.feedbackJoined || v.feedbackDuplicate) return false;
  return true;
}
