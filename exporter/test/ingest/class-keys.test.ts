import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { parseExposition, sample } from './helpers.js';

/**
 * Issue 13, case 14: a class called "__proto__" (or "constructor") is a class like any other.
 * Per-class results used to live in a plain object, where "__proto__" set the prototype and
 * its series vanished from /metrics.
 */
describe('class labels that are special JavaScript keys', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('get their own per-class series', async () => {
    const events = [
      { id: 'e1', features: {}, prediction: '__proto__', label: '__proto__' },
      { id: 'e2', features: {}, prediction: '__proto__', label: 'constructor' },
      { id: 'e3', features: {}, prediction: 'constructor', label: 'constructor' },
      { id: 'e4', features: {}, prediction: 'plain', label: 'plain' },
    ];
    const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'proto_classes', version: 'v1', events } });
    expect(res.status, await res.clone().text()).toBe(200);
    const series = parseExposition(await (await fetch(`${s.url}/metrics`)).text());
    const precision = (cls: string) => sample(series, 'modelwatch_model_precision_ratio', { model: 'proto_classes', class: cls });
    expect(precision('__proto__')).toBeCloseTo(0.5, 12);
    expect(precision('constructor')).toBeCloseTo(1, 12);
    expect(precision('plain')).toBeCloseTo(1, 12);
  });
});
