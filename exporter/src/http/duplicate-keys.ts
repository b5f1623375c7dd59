import type { RequestHandler } from 'express';
import { errorBody } from '../error-codes.js';

/**
 * Finds the first object key that appears twice in the same JSON object.
 *
 * JSON.parse keeps the last of duplicate keys, so `{"staging":{"min_accuracy":0.9},"staging":{}}`
 * is stored and audited as `{"staging":{}}` while a reviewer, proxy or log line reading the first
 * occurrence sees a gate. I-JSON (RFC 7493 §2.3) forbids duplicate names; rejecting them keeps
 * one meaning per body.
 *
 * Input: the raw UTF-8 body that JSON.parse accepts (call it only on text that parses; on other
 * text the answer is unspecified). Output: the path of the repeated key (`staging`,
 * `events[3].features.age`), or undefined when every object's keys are unique. Keys are compared
 * after unescaping, so `"a"` and `"\u0061"` are the same key. Cost: one pass over the bytes.
 */
export function findDuplicateKey(buf: Buffer): string | undefined {
  // One frame per open container: an object's seen keys, or an array's next index.
  const frames: Array<{ keys: Set<string> | undefined; index: number; label: string }> = [];
  let pendingKey: string | undefined;
  let expectKey = false;
  let i = 0;
  const n = buf.length;
  const path = (key: string): string => {
    let p = '';
    for (const f of frames) p += f.label;
    return p === '' ? key : `${p.startsWith('.') ? p.slice(1) : p}.${key}`;
  };
  const childLabel = (): string => {
    const top = frames[frames.length - 1];
    if (!top) return '';
    return top.keys ? `.${pendingKey ?? ''}` : `[${top.index}]`;
  };
  while (i < n) {
    const c = buf[i];
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      // Jump quote to quote natively; a quote preceded by an odd run of backslashes is escaped.
      let close = buf.indexOf(0x22, i + 1);
      for (;;) {
        if (close < 0) return undefined; // not JSON; the parser has already refused it
        let slashes = 0;
        while (buf[close - 1 - slashes] === 0x5c /* \ */) slashes++;
        if (slashes > 0) escaped = true;
        if (slashes % 2 === 0) break;
        close = buf.indexOf(0x22, close + 1);
      }
      if (expectKey && !escaped) escaped = buf.subarray(start, close).includes(0x5c);
      i = close + 1;
      if (expectKey) {
        const key = escaped ? (JSON.parse(buf.toString('utf8', start, i)) as string) : buf.toString('utf8', start + 1, i - 1);
        const top = frames[frames.length - 1];
        if (top.keys!.has(key)) return path(key);
        top.keys!.add(key);
        pendingKey = key;
        expectKey = false;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const label = childLabel();
      frames.push({ keys: c === 0x7b ? new Set() : undefined, index: 0, label });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.index++;
    }
    i++;
  }
  return undefined;
}

/**
 * How many object keys the JSON text holds: the colons outside strings (each key is followed by
 * exactly one, and a colon appears nowhere else outside a string). One tight pass over the
 * bytes, no allocation. Input: text JSON.parse accepts.
 */
export function keysInText(buf: Buffer): number {
  let n = 0;
  const len = buf.length;
  for (let i = 0; i < len; i++) {
    const c = buf[i];
    if (c === 0x22 /* " */) {
      for (i++; i < len; i++) {
        const d = buf[i];
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x3a /* : */) n++;
  }
  return n;
}

/** How many keys the objects of a parsed JSON value hold, in all (JSON.parse keeps one per name). */
export function keysInValue(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const values = Array.isArray(x) ? x : Object.values(x);
    if (!Array.isArray(x)) n += values.length;
    for (const y of values) if (y !== null && typeof y === 'object') stack.push(y);
  }
  return n;
}

/**
 * Whether the body repeats a key, and which: JSON.parse keeps one key per name, so the text
 * holds more keys than the parsed value exactly when some object repeats one. Counting both
 * (keysInText, keysInValue) is several times cheaper than findDuplicateKey's walk with a Set per
 * object (`npm run bench`, ingest path), which then runs only to name the key.
 */
export function duplicateKeyOf(raw: Buffer, parsed: unknown): string | undefined {
  return keysInText(raw) === keysInValue(parsed) ? undefined : findDuplicateKey(raw);
}

/** A parsed request whose raw bytes express.json's verify hook kept for the duplicate check. */
export interface KeptBodyRequest {
  rawBody?: Buffer;
}

/** 400 naming the repeated key when a parsed JSON body has one object key twice. */
export const rejectDuplicateKeys: RequestHandler = (req, res, next) => {
  const kept = req as KeptBodyRequest;
  const raw = kept.rawBody;
  kept.rawBody = undefined; // the bytes are only needed for this check
  const key = raw ? duplicateKeyOf(raw, req.body) : undefined;
  if (key !== undefined) {
    const message = 'appears more than once in the same object (duplicate JSON keys are ambiguous)';
    res.status(400).json(errorBody('MW_ERR_INVALID_INPUT', `invalid request body: ${key}: ${message}`, [{ path: key, message }]));
    return;
  }
  next();
};
