import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateKey } from '../../src/http/duplicate-keys.js';

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
