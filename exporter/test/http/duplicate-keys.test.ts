import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateKeyOf, findDuplicateKey } from '../../src/http/duplicate-keys.js';

const scan = (text: string) => findDuplicateKey(Buffer.from(text, 'utf8'));

describe('findDuplicateKey', () => {
  it('names the repeated key with its path', () => {
    expect(scan('{"staging":{"min_accuracy":0.9},"staging":{}}')).toBe('staging');
    expect(scan('{"events":[{"id":"a"},{"id":"b","features":{"age":1,"x":"}","age":2}}]}')).toBe('events[1].features.age');
    expect(scan('[[1,2],{"a":1,"\\u0061":2}]')).toBe('[1].a');
  });

  it('accepts the same key in different objects, and keys that only look alike', () => {
    expect(scan('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\\"a\\":"}')).toBeUndefined();
    expect(scan('{"a":1,"A":2,"a ":3,"\\\\a":4}')).toBeUndefined();
  });

  it('finds nothing in anything JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(scan(JSON.stringify(v))).toBeUndefined();
        expect(scan(JSON.stringify(v, null, 2))).toBeUndefined();
      }),
    );
  });
});

describe('duplicateKeyOf (the check every request runs)', () => {
  const check = (text: string) => duplicateKeyOf(Buffer.from(text, 'utf8'), JSON.parse(text));

  it('agrees with findDuplicateKey on bodies with and without repeated keys, escapes and colons in strings', () => {
    for (const text of [
      '{"staging":{"min_accuracy":0.9},"staging":{}}',
      '{"events":[{"id":"a:b"},{"id":"b","features":{"age":1,"x":"}\\":","age":2}}]}',
      '[[1,2],{"a":1,"\\u0061":2}]',
      '{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\\"a\\":"}',
      '{"__proto__":1,"__proto__":2}',
      '{"__proto__":{"x":1},"y":"\\\\"}',
    ])
      expect(check(text), text).toBe(findDuplicateKey(Buffer.from(text, 'utf8')));
  });

  it('is undefined for anything JSON.stringify writes, and names a key repeated anywhere', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (v, at) => {
        const text = JSON.stringify(v);
        expect(check(text)).toBeUndefined();
        // Repeat the first key of the at-th object (if any) in place: `{"k":` becomes `{"k":1,"k":`.
        const opens = objectOpenings(text);
        if (opens.length === 0) return;
        const firstKey = /\{"((?:[^"\\]|\\.)*)":/y;
        firstKey.lastIndex = opens[at % opens.length];
        const m = firstKey.exec(text)!;
        const dup = text.slice(0, m.index) + `{"${m[1]}":1,"${m[1]}":` + text.slice(m.index + m[0].length);
        expect(check(dup)).toBe(findDuplicateKey(Buffer.from(dup, 'utf8')));
        expect(check(dup)).toBeDefined();
      }),
    );
  });
});

/**
 * Where each non-empty object opens (`{"` outside strings): a `{"` inside a string value such as
 * `["{",{":":""}]` is not an object, and repeating a "key" there wrote invalid JSON.
 */
function objectOpenings(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && text[i + 1] === '"') out.push(i);
  }
  return out;
}
