import fc from 'fast-check';
import { TEST_AUDIT_KEYS } from '../helpers/audit-keys.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, ChainVerifier, GENESIS_HASH } from '../../src/registry/audit-chain.js';
import { selectExposedVersions } from '../../src/registry/exposure.js';
import { DEFAULT_GATES, effectiveGates, evaluateGates } from '../../src/registry/gates.js';
import type { VersionSummary } from '../../src/registry/ports.js';
import { assertTransitionAllowed } from '../../src/registry/stages.js';
import type { AuditEntry, Stage } from '../../src/registry/types.js';

describe('quality gates', () => {
  it('lists every failure, including missing metrics', () => {
    expect(evaluateGates(DEFAULT_GATES.production, { accuracy: 0.8, latency_ms: 51 })).toEqual([
      { gate: 'max_latency_ms', metric: 'latency_ms', required: 50, actual: 51 },
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.8 },
    ]);
    expect(evaluateGates(DEFAULT_GATES.staging, {})).toEqual([
      { gate: 'max_latency_ms', metric: 'latency_ms', required: 100, actual: null },
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.8, actual: null },
    ]);
  });

  it('treats the bounds as inclusive', () => {
    expect(evaluateGates(DEFAULT_GATES.production, { accuracy: 0.85, latency_ms: 50 })).toEqual([]);
  });

  it('replaces a stage entirely when overridden and keeps the other stage at its defaults', () => {
    expect(effectiveGates({ staging: {} })).toEqual({ staging: {}, production: { min_accuracy: 0.85, max_latency_ms: 50 } });
  });

  it('agrees with a direct comparison for any metric values', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), (accuracy, latency) => {
        const failed = evaluateGates(DEFAULT_GATES.production, { accuracy, latency_ms: latency }).map((f) => f.gate);
        expect(failed.includes('min_accuracy')).toBe(accuracy < 0.85);
        expect(failed.includes('max_latency_ms')).toBe(latency > 50);
      }),
    );
  });
});

describe('stage machine', () => {
  const ok = (from: Stage, to: Stage) => () => assertTransitionAllowed('m', 'v', from, to);
  it('goes forward one stage at a time and archives from anywhere', () => {
    expect(ok('development', 'staging')).not.toThrow();
    expect(ok('staging', 'production')).not.toThrow();
    expect(ok('production', 'archived')).not.toThrow();
    expect(ok('development', 'production')).toThrow(/cannot move from development to production/);
    expect(ok('archived', 'production')).toThrow(/cannot move/);
    expect(ok('staging', 'staging')).toThrow(/already in staging/);
  });
});

describe('audit hash chain', () => {
  const jsonValue = fc.jsonValue({ maxDepth: 3 });

  it('canonical JSON does not depend on key order and round-trips through JSON', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), jsonValue), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(canonicalJson(JSON.parse(canonicalJson(obj)))).toBe(canonicalJson(obj));
      }),
    );
  });

  const build = (n: number): AuditEntry[] => {
    const out: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (let id = 1; id <= n; id += 1) {
      const e = {
        id,
        at: `2026-01-01T00:00:0${id % 10}.000Z`,
        actor: 'a',
        action: 'x',
        model: 'm',
        version: null,
        reason: null,
        before: null,
        after: { n: id },
      };
      const hash = chainHash(prev, e, TEST_AUDIT_KEYS.get(TEST_AUDIT_KEYS.current.id));
      out.push({ ...e, prevHash: prev, hash, keyId: TEST_AUDIT_KEYS.current.id });
      prev = hash;
    }
    return out;
  };

  it('verifies an intact chain fed in pages', () => {
    const chain = build(7);
    const v = new ChainVerifier(TEST_AUDIT_KEYS);
    v.feed(chain.slice(0, 3));
    v.feed(chain.slice(3));
    expect(v.finish({ lastId: 7, lastHash: chain[6].hash })).toEqual({ ok: true, entries: 7 });
  });

  it('names the first changed entry, whatever field changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom('actor', 'action', 'reason', 'after', 'at'), (id, field) => {
        const chain = build(6);
        (chain[id - 1] as unknown as Record<string, unknown>)[field] = 'tampered';
        const v = new ChainVerifier(TEST_AUDIT_KEYS);
        v.feed(chain);
        // Every break is reported; the chain carries on from the stored row, so one edit is one break.
        expect(v.finish({ lastId: 6, lastHash: chain[5].hash })).toEqual({
          ok: false,
          entries: 6,
          firstBrokenId: id,
          problem: 'hash mismatch',
          broken: [{ id, problem: 'hash mismatch' }],
          brokenCount: 1,
        });
      }),
    );
  });

  it('catches a deleted middle entry and a truncated tail', () => {
    const chain = build(5);
    const gap = new ChainVerifier(TEST_AUDIT_KEYS);
    gap.feed([...chain.slice(0, 2), ...chain.slice(3)]);
    expect(gap.finish({ lastId: 5, lastHash: chain[4].hash })).toMatchObject({ ok: false, firstBrokenId: 3, problem: 'id gap' });
    const tail = new ChainVerifier(TEST_AUDIT_KEYS);
    tail.feed(chain.slice(0, 4));
    expect(tail.finish({ lastId: 5, lastHash: chain[4].hash })).toMatchObject({ ok: false, firstBrokenId: 5, problem: 'head mismatch' });
  });
});

describe('metric exposure bounds', () => {
  it('keeps at most N versions per model, live stages and recent changes first', () => {
    const rows: VersionSummary[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        model: 'm',
        version: `a${i}`,
        stage: 'archived' as Stage,
        accuracy: 0.9,
        stageChangedAt: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      })),
      { model: 'm', version: 'p', stage: 'production', accuracy: 0.9, stageChangedAt: '2025-01-01T00:00:00Z' },
      { model: 'm', version: 's', stage: 'staging', accuracy: 0.9, stageChangedAt: '2025-01-01T00:00:00Z' },
      { model: 'z', version: '1', stage: 'development', accuracy: null, stageChangedAt: '2025-01-01T00:00:00Z' },
    ];
    expect(selectExposedVersions(rows, 10, 3).map((r) => `${r.model}/${r.version}`)).toEqual(['m/p', 'm/s', 'm/a9', 'z/1']);
    expect(selectExposedVersions(rows, 1, 3).map((r) => r.model)).toEqual(['m', 'm', 'm']);
  });
});
