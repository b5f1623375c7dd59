import { toAuditEntry, toModel, toTransition, toVerification, toVersion } from './normalize';
import { auditEntries, models, transitions, versions } from '../test/fixtures';

describe('normalize', () => {
  it('maps the exporter model to the page model', () => {
    expect(toModel(models[0])).toEqual({
      name: 'fraud_detector',
      description: 'card fraud scoring',
      team: 'risk',
      productionVersion: '1.1',
      createdAt: '2026-01-01T00:00:00.000Z',
      archivedAt: null,
    });
  });

  it('maps a version with its lineage and metrics', () => {
    const v = toVersion(versions[1]);
    expect(v.stage).toBe('production');
    expect(v.metrics).toEqual({ accuracy: 0.87, latency_ms: 40 });
    expect(v.lineage).toEqual({
      dataVersion: 'transactions-1.1',
      codeCommit: 'c0ffee11',
      hyperparameters: { max_depth: 6, learning_rate: 0.1 },
      environment: { python: '3.11' },
      artifactUri: 's3://models/fraud_detector/1.1/model.pkl',
      tags: { owner: 'risk-team' },
      parentVersion: '1.0',
    });
    expect(v.predecessor).toBe('0.9');
  });

  it('maps transitions and audit entries', () => {
    expect(toTransition(transitions[2])).toMatchObject({
      version: '0.9',
      from: 'production',
      to: 'archived',
      kind: 'rollback',
      trigger: 'alert',
      actor: 'alertmanager',
    });
    expect(toAuditEntry(auditEntries[0])).toMatchObject({ id: 2, action: 'version.transition', hash: 'bbbbbbbbbbbbbbbbbbbb' });
  });

  it('reads both verification outcomes', () => {
    expect(toVerification({ ok: true, entries: 7 })).toEqual({ valid: true, entries: 7, problem: null });
    expect(toVerification({ ok: false, entries: 7, first_broken_id: 3 })).toEqual({
      valid: false,
      entries: 7,
      problem: 'first broken entry: 3',
    });
  });
});
