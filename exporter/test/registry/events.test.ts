import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../../src/registry/events.js';
import { RegistryService } from '../../src/registry/service.js';
import { openDatabase, type OpenedDatabase } from '../../src/store/database.js';
import { KyselyRegistryStore } from '../../src/store/registry-store.js';
import { TEST_AUDIT_KEYS } from '../helpers/audit-keys.js';

/** The registry announces each committed audited write through its typed post-commit hook. */
describe('registry post-commit events', () => {
  let database: OpenedDatabase;
  let registry: RegistryService;
  const seen: RegistryEvent[] = [];

  beforeAll(async () => {
    database = await openDatabase({ sqlitePath: ':memory:' });
    registry = new RegistryService(new KyselyRegistryStore(database.db, TEST_AUDIT_KEYS), () => Date.UTC(2030, 0, 1));
    registry.onCommitted((e) => seen.push(e));
    registry.onCommitted(() => {
      throw new Error('a failing listener does not fail the committed call');
    });
  });
  afterAll(async () => {
    await database.close();
  });

  it('emits one event per committed write, with the result the caller got, and none for a refused one', async () => {
    const model = await registry.createModel({ name: 'churn' }, 'alice');
    const v1 = await registry.registerVersion('churn', { version: 'v1', metrics: { accuracy: 0.95, latency_ms: 10 } }, 'alice');
    await registry.registerVersion('churn', { version: 'v2', metrics: { accuracy: 0.5, latency_ms: 10 } }, 'alice');
    const t = await registry.transition('churn', 'v1', { to: 'staging', reason: 'ok' }, 'bob');
    await expect(registry.transition('churn', 'v2', { to: 'staging', reason: 'gated' }, 'bob')).rejects.toThrow(/gate/);
    await expect(registry.createModel({ name: 'churn' }, 'alice')).rejects.toThrow(/exists/);
    const gates = await registry.setGates('churn', { staging: { min_accuracy: 0.4 } }, 'looser', 'admin');

    expect(seen.map((e) => e.type)).toEqual([
      'model.created',
      'version.registered',
      'version.registered',
      'version.transitioned',
      'model.gates_updated',
    ]);
    expect(seen[0]).toEqual({ type: 'model.created', model });
    expect(seen[1]).toEqual({ type: 'version.registered', version: v1 });
    expect(seen[3]).toEqual({ type: 'version.transitioned', transition: t });
    expect(seen[4]).toEqual({ type: 'model.gates_updated', model: 'churn', overrides: gates.overrides });
  });
});
