import type { ModelState, PendingPrediction } from '../ingest/model-state.js';
import type { Task } from '../ingest/reference-profile.js';
import { ByteReader, ByteWriter, SnapshotFormatError } from './bytes.js';

/** A pending prediction as read back, before its version object exists. */
export interface PendingRecord {
  id: string;
  version: string;
  pred: number;
  predName?: string;
  score?: number;
  probs?: Float64Array;
  at?: number;
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

/** Model-level state (task, interned names, KPIs, unknown feedback) and the pending predictions, oldest first. */
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
}

function writePending(w: ByteWriter, m: ModelState, id: string, p: PendingPrediction, versions: Map<string, number>): void {
  w.str(id);
  let vi = versions.get(p.version.name);
  if (vi === undefined) {
    versions.set(p.version.name, (vi = versions.size));
    w.uint(vi);
    w.str(p.version.name);
  } else w.uint(vi);
  w.f64(p.pred);
  const sameAsClass = p.predName !== undefined && m.classes.names[p.pred] === p.predName;
  const flags =
    (p.predName !== undefined ? HAS_NAME : 0) |
    (sameAsClass ? NAME_IS_CLASS : 0) |
    (p.score !== undefined ? HAS_SCORE : 0) |
    (p.probs !== undefined ? HAS_PROBS : 0) |
    (p.at !== undefined ? HAS_TIME : 0);
  w.u8(flags);
  if (p.predName !== undefined && !sameAsClass) w.str(p.predName);
  if (p.score !== undefined) w.f64(p.score);
  if (p.probs !== undefined) w.f64s(p.probs);
  if (p.at !== undefined) w.f64(p.at);
}

export function readModel(r: ByteReader): { header: ModelHeader; pending: PendingRecord[] } {
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
    const vi = r.bounded(versions.length, 'version index');
    if (vi === versions.length) versions.push(r.str());
    const p: PendingRecord = { id, version: versions[vi], pred: r.f64() };
    const flags = r.u8();
    if (flags & HAS_NAME) p.predName = flags & NAME_IS_CLASS ? header.classes[p.pred] : r.str();
    if (flags & HAS_SCORE) p.score = r.f64();
    if (flags & HAS_PROBS) p.probs = Float64Array.from(r.f64s(MAX_NAMES));
    if (flags & HAS_TIME) p.at = r.f64();
    pending.push(p);
  }
  if (!r.done) throw new SnapshotFormatError('trailing bytes after the model snapshot');
  return { header, pending };
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
