import type { ApiAuditEntry, ApiModel, ApiTransition, ApiVersion } from '../api/normalize';
import type { Stage } from '../api/types';
import { fraudDetectorLineage } from './lineage';

/** Exporter answers, typed by the types generated from its OpenAPI document (a fixture that drifts from it fails tsc). */
export const models: ApiModel[] = [
  {
    name: 'fraud_detector',
    description: 'card fraud scoring',
    team: 'risk',
    production_version: '1.1',
    gates: { staging: { min_accuracy: 0.8 }, production: { min_accuracy: 0.85 } },
    gates_overridden: false,
    archived_at: null,
    positive_class: null,
    created_at: '2026-01-01T00:00:00.000Z',
    created_by: 'token:ci',
  },
  {
    name: 'churn_model',
    description: 'who leaves next month',
    team: 'growth',
    production_version: null,
    gates: { staging: {}, production: {} },
    gates_overridden: false,
    archived_at: null,
    positive_class: null,
    created_at: '2026-01-02T00:00:00.000Z',
    created_by: 'token:ci',
  },
];

function version(v: string, stage: Stage, accuracy: number, latency: number, predecessor: string | null, parent?: string): ApiVersion {
  return {
    model: 'fraud_detector',
    version: v,
    stage,
    description: '',
    metrics: { accuracy, latency_ms: latency },
    lineage: fraudDetectorLineage(v, `transactions-${v}`, parent),
    predecessor,
    created_at: `2026-01-0${v.endsWith('0') ? 3 : 4}T00:00:00.000Z`,
    created_by: 'token:ci',
    stage_changed_at: '2026-01-05T00:00:00.000Z',
  };
}

export const versions: ApiVersion[] = [
  version('1.0', 'staging', 0.82, 45, null),
  version('1.1', 'production', 0.87, 40, '0.9', '1.0'),
  version('1.2', 'development', 0.83, 60, null, '1.1'),
];

export const transitions: ApiTransition[] = [
  {
    id: 1,
    model: 'fraud_detector',
    version: '1.0',
    from: 'development',
    to: 'staging',
    kind: 'transition',
    trigger: null,
    forced: false,
    reason: 'offline validation passed',
    actor: 'token:ci',
    at: '2026-01-05T10:00:00.000Z',
  },
  {
    id: 2,
    model: 'fraud_detector',
    version: '1.1',
    from: 'staging',
    to: 'production',
    kind: 'transition',
    trigger: null,
    forced: false,
    reason: 'beats 1.0',
    actor: 'alice',
    at: '2026-01-06T10:00:00.000Z',
  },
  {
    id: 3,
    model: 'fraud_detector',
    version: '0.9',
    from: 'production',
    to: 'archived',
    kind: 'rollback',
    trigger: 'alert',
    forced: false,
    reason: 'accuracy dropped',
    actor: 'alertmanager',
    at: '2026-01-07T10:00:00.000Z',
  },
];

export const auditEntries: ApiAuditEntry[] = [
  {
    id: 2,
    at: '2026-01-06T10:00:00.000Z',
    actor: 'alice',
    action: 'version.transition',
    model: 'fraud_detector',
    version: '1.1',
    reason: 'beats 1.0',
    before: { stage: 'staging' },
    after: { stage: 'production' },
    prev_hash: 'aa',
    hash: 'bbbbbbbbbbbbbbbbbbbb',
  },
  {
    id: 1,
    at: '2026-01-05T10:00:00.000Z',
    actor: 'token:ci',
    action: 'model.create',
    model: 'fraud_detector',
    version: null,
    reason: null,
    before: null,
    after: {},
    prev_hash: '00',
    hash: 'aaaaaaaaaaaaaaaaaaaa',
  },
];
