import type { ModelState, PendingPrediction } from '../ingest/model-state.js';
import type { Task } from '../ingest/reference-profile.js';
import { inferPositiveClass } from '../stats/index.js';
import { OTHER } from '../ingest/bounded-names.js';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.js';
import { SNAPSHOT_FORMAT } from './envelope.js';

/** A pending prediction as read back, before its version object exists. */
export interface PendingRecord {
  id: string;
  version: string;
  pred: number;
  predName?: string;
  score?: number;
  probs?: Float64Array;
  foldedScores?: Array<[string, number]>;
  at?: number;
  /** Format 8 on; older snapshots did not keep it. */
  arrived?: number;
}

/** A label held for its prediction, as read back. */
export interface HeldRecord {
  id: string;
  label: number | string;
  at: number;
}

/** An id whose label joined, and its version's name, as read back. */
export interface RecentRecord {
  id: string;
  version: string;
  /** Its prediction expired waiting for its label (format 8 on). */
  expired: boolean;
}

/** Everything a model snapshot holds besides the versions' windows. */
export interface DecodedModel {
  header: ModelHeader;
  pending: PendingRecord[];
  held: HeldRecord[];
  recent: RecentRecord[];
}

export interface ModelHeader {
  task?: Task;
  /** Undefined until stated or inferred (written as "", never a class name). */
  positiveClass?: string;
  classes: string[];
  errorReasons: string[];
  kpis: Array<[string, number]>;
  feedbackUnknown: number;
}

const TASKS: Array<Task | undefined> = [undefined, 'classification', 'regression'];
const MAX_NAMES = 1_000_000;
const MAX_PENDING = 100_000_000;

const HAS_NAME = 1;
const NAME_IS_CLASS = 2;
const HAS_SCORE = 4;
const HAS_PROBS = 8;
const HAS_TIME = 16;
/** Format 5 on: the exact scores of the classes folded into the fold bucket. */
const HAS_FOLDED = 32;
/** Format 8 on: when the prediction started waiting for its label (window time). */
const HAS_ARRIVED = 64;

/**
 * Model-level state (task, interned names, KPIs, unknown feedback), the pending predictions,
 * the held labels and the recently joined ids, each oldest first (format SNAPSHOT_FORMAT).
 */
export function writeModel(w: ByteWriter, m: ModelState): void {
  w.u8(TASKS.indexOf(m.task));
  w.str(m.positiveClass ?? '');
  writeNames(w, m.classes.names);
  writeNames(w, m.errorReasons.names);
  w.uint(m.kpis.size);
  for (const [k, v] of m.kpis) {
    w.str(k);
    w.f64(v);
  }
  w.uint(m.feedbackUnknown);
  const versions = new Map<string, number>();
  w.uint(m.pending.size);
  for (const [id, p] of m.pending) writePending(w, m, id, p, versions);
  w.uint(m.held.size);
  for (const [id, h] of m.held) {
    w.str(id);
    if (typeof h.label === 'number') {
      w.u8(LABEL_NUMBER);
      w.f64(h.label);
    } else {
      w.u8(LABEL_STRING);
      w.str(h.label);
    }
    w.f64(h.at);
  }
  w.uint(m.recent.size);
  for (const [id, v] of m.recent) {
    w.str(id);
    writeVersionRef(w, v.name, versions);
    w.u8(m.recent.isExpired(id) ? 1 : 0);
  }
}

const LABEL_NUMBER = 0;
const LABEL_STRING = 1;

/** A version name as an index into the names written so far, the name itself on first use. */
function writeVersionRef(w: ByteWriter, name: string, versions: Map<string, number>): void {
  let vi = versions.get(name);
  if (vi === undefined) {
    versions.set(name, (vi = versions.size));
    w.uint(vi);
    w.str(name);
  } else w.uint(vi);
}

function readVersionRef(r: ByteReader, versions: string[]): string {
  const vi = r.bounded(versions.length, 'version index');
  if (vi === versions.length) versions.push(r.str());
  return versions[vi];
}

function writePending(w: ByteWriter, m: ModelState, id: string, p: PendingPrediction, versions: Map<string, number>): void {
  w.str(id);
  writeVersionRef(w, p.version.name, versions);
  w.f64(p.pred);
  const sameAsClass = p.predName !== undefined && m.classes.names[p.pred] === p.predName;
  const flags =
    (p.predName !== undefined ? HAS_NAME : 0) |
    (sameAsClass ? NAME_IS_CLASS : 0) |
    (p.score !== undefined ? HAS_SCORE : 0) |
    (p.probs !== undefined ? HAS_PROBS : 0) |
    (p.at !== undefined ? HAS_TIME : 0) |
    (p.foldedScores !== undefined ? HAS_FOLDED : 0) |
    (p.arrived !== undefined ? HAS_ARRIVED : 0);
  w.u8(flags);
  if (p.predName !== undefined && !sameAsClass) w.str(p.predName);
  if (p.score !== undefined) w.f64(p.score);
  if (p.probs !== undefined) w.f64s(p.probs);
  if (p.at !== undefined) w.f64(p.at);
  if (p.foldedScores !== undefined) {
    w.uint(p.foldedScores.length);
    for (const [name, q] of p.foldedScores) {
      w.str(name);
      w.f64(q);
    }
  }
  if (p.arrived !== undefined) w.f64(p.arrived);
}

/** Reads a model snapshot written in `format` (one of READABLE_FORMATS; see envelope.ts for the migrations). */
export function readModel(r: ByteReader, format = SNAPSHOT_FORMAT): DecodedModel {
  const t = r.u8();
  if (t >= TASKS.length) throw new SnapshotFormatError(`unknown task ${t}`);
  const header: ModelHeader = {
    task: TASKS[t],
    positiveClass: r.str() || undefined,
    classes: readNames(r),
    errorReasons: readNames(r),
    kpis: [],
    feedbackUnknown: 0,
  };
  const kpis = r.bounded(MAX_NAMES, 'KPIs');
  for (let i = 0; i < kpis; i++) header.kpis.push([r.str(), r.f64()]);
  header.feedbackUnknown = r.uint();
  const n = r.bounded(MAX_PENDING, 'pending predictions');
  const versions: string[] = [];
  const pending: PendingRecord[] = [];
  for (let i = 0; i < n; i++) {
    const id = r.str();
    const p: PendingRecord = { id, version: readVersionRef(r, versions), pred: r.f64() };
    const flags = r.u8();
    if (flags & HAS_NAME) p.predName = flags & NAME_IS_CLASS ? header.classes[p.pred] : r.str();
    if (flags & HAS_SCORE) p.score = r.f64();
    if (flags & HAS_PROBS) p.probs = Float64Array.from(r.f64s(MAX_NAMES));
    if (flags & HAS_TIME) p.at = r.f64();
    if (flags & HAS_FOLDED) {
      const n = r.bounded(MAX_NAMES, 'folded scores');
      p.foldedScores = [];
      for (let j = 0; j < n; j++) p.foldedScores.push([r.str(), r.f64()]);
    }
    if (flags & HAS_ARRIVED) {
      if (format < 8) throw new SnapshotFormatError(`pending arrival time in a format ${format} snapshot`);
      p.arrived = r.f64();
    }
    pending.push(p);
  }
  const held: HeldRecord[] = [];
  const recent: RecentRecord[] = [];
  if (format >= 3) {
    const h = r.bounded(MAX_PENDING, 'held labels');
    for (let i = 0; i < h; i++) {
      const id = r.str();
      const kind = r.u8();
      if (kind !== LABEL_NUMBER && kind !== LABEL_STRING) throw new SnapshotFormatError(`unknown label kind ${kind}`);
      const label = kind === LABEL_NUMBER ? r.f64() : r.str();
      held.push({ id, label, at: r.f64() });
    }
    const n = r.bounded(MAX_PENDING, 'recent ids');
    for (let i = 0; i < n; i++) {
      const id = r.str();
      const version = readVersionRef(r, versions);
      recent.push({ id, version, expired: format >= 8 && r.u8() === 1 });
    }
  } else if (header.positiveClass === '1') {
    // Format 2 wrote "1" for every model that stated nothing: keep it only where the classes imply it.
    const classes = header.classes.filter((c) => c !== OTHER);
    if (inferPositiveClass(classes) !== '1') header.positiveClass = undefined;
  }
  if (!r.done) throw new SnapshotFormatError('trailing bytes after the model snapshot');
  return { header, pending, held, recent };
}

function writeNames(w: ByteWriter, names: readonly string[]): void {
  w.uint(names.length);
  for (const n of names) w.str(n);
}

function readNames(r: ByteReader): string[] {
  const n = r.bounded(MAX_NAMES, 'names');
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.str());
  return out;
}

export function encodeModel(m: ModelState): Buffer {
  const w = new ByteWriter();
  writeModel(w, m);
  return w.finish();
}
