import { FieldType, toDataFrame } from '@grafana/data';
import type { AuditEntry, Transition } from '../api/types';
import { alertSpans, changesAround, referenceEvents, registryEvents } from './events';

const alertFrame = (labels: Record<string, string>, times: number[]) =>
  toDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'Value', type: FieldType.number, labels, values: times.map(() => 1) },
    ],
  });

describe('alertSpans', () => {
  it('splits an ALERTS series at gaps longer than two steps and says which period still fires', () => {
    const firing = { alertname: 'ModelwatchAccuracyDrop', alertstate: 'firing', severity: 'warning', version: '2' };
    const spans = alertSpans([alertFrame(firing, [1000, 2000, 3000, 10_000, 11_000])], 1000, 12_000);
    expect(spans).toEqual([
      { alertname: 'ModelwatchAccuracyDrop', severity: 'warning', version: '2', state: 'resolved', startMs: 1000, endMs: 3000 },
      { alertname: 'ModelwatchAccuracyDrop', severity: 'warning', version: '2', state: 'firing', startMs: 10_000, endMs: 11_000 },
    ]);
  });

  it('ignores pending alerts', () => {
    expect(alertSpans([alertFrame({ alertname: 'X', alertstate: 'pending' }, [1000])], 1000, 1000)).toEqual([]);
  });
});

const transition = (over: Partial<Transition>): Transition => ({
  id: 1,
  model: 'm',
  version: '2',
  from: 'staging',
  to: 'production',
  kind: 'transition',
  trigger: null,
  forced: false,
  reason: 'ship it',
  actor: 'alice',
  at: '2025-01-01T00:10:00Z',
  ...over,
});

describe('registryEvents', () => {
  it('keeps the range, marks rollbacks, oldest first', () => {
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2025-01-01T01:00:00Z');
    const events = registryEvents(
      [
        transition({ id: 3, kind: 'rollback', version: '1', to: 'production', at: '2025-01-01T00:30:00Z', reason: 'alert' }),
        transition({ id: 2 }),
        transition({ id: 1, at: '2024-12-31T23:00:00Z' }),
      ],
      from,
      to,
    );
    expect(events.map((e) => [e.kind, e.title, e.detail])).toEqual([
      ['transition', 'v2 staging → production', 'alice: ship it'],
      ['rollback', 'rollback: v1 back to production', 'alice: alert'],
    ]);
  });
});

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  at: '2025-01-01T00:10:00Z',
  actor: 'alice',
  action: 'version.transition',
  model: 'm',
  version: '2',
  reason: 'canary',
  before: null,
  after: { stage: 'staging' },
  hash: 'h',
  ...over,
});

describe('changesAround', () => {
  it('lists model changes from the margin before the range to its end, newest first, in words', () => {
    const from = Date.parse('2025-01-01T01:00:00Z');
    const to = Date.parse('2025-01-01T02:00:00Z');
    const changes = changesAround(
      [
        entry({ id: 1, at: '2024-12-31T23:00:00Z' }),
        entry({ id: 2, action: 'version.register', after: {} }),
        entry({ id: 3, at: '2025-01-01T01:30:00Z', action: 'model.rollback', version: '1', after: { archived_version: '2' } }),
        entry({ id: 4, at: '2025-01-01T01:40:00Z', action: 'token.create', version: null }),
        entry({ id: 5, at: '2025-01-01T01:50:00Z', action: 'model.gates.update', version: null }),
      ],
      from,
      to,
      3_600_000,
    );
    expect(changes.map((c) => c.what)).toEqual(['quality gates changed', 'rolled back: v1 in production, v2 archived', 'v2 registered']);
  });
});

describe('reference uploads', () => {
  const upload = (over: Partial<AuditEntry>) =>
    entry({
      action: 'version.reference',
      reason: null,
      after: { features: 3, dropped_features: 0, samples: 500, profile_sha256: 'ab' },
      ...over,
    });
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2025-01-01T01:00:00Z');

  it('are changes in words: first upload or replacement, with counts', () => {
    const changes = changesAround(
      [
        upload({ id: 1 }),
        upload({ id: 2, at: '2025-01-01T00:20:00Z', before: { profile_sha256: 'ab' }, after: { features: 1, samples: 1 } }),
      ],
      from,
      to,
      0,
    );
    expect(changes.map((c) => [c.what, c.actor, c.reason])).toEqual([
      ['v2 reference sample replaced (1 feature, 1 sample)', 'alice', ''],
      ['v2 reference sample uploaded (3 features, 500 samples)', 'alice', ''],
    ]);
  });

  it('are annotations inside the range only, oldest first; other actions are not', () => {
    const events = referenceEvents(
      [
        upload({ id: 3, at: '2025-01-01T00:30:00Z', version: '3' }),
        upload({ id: 1, at: '2024-12-31T23:59:00Z' }),
        entry({ id: 2 }),
        upload({ id: 4, at: '2025-01-01T00:05:00Z' }),
      ],
      from,
      to,
    );
    expect(events.map((e) => [e.kind, e.at, e.title, e.detail])).toEqual([
      ['reference', Date.parse('2025-01-01T00:05:00Z'), 'v2 reference sample uploaded (3 features, 500 samples)', 'alice'],
      ['reference', Date.parse('2025-01-01T00:30:00Z'), 'v3 reference sample uploaded (3 features, 500 samples)', 'alice'],
    ]);
  });
});
