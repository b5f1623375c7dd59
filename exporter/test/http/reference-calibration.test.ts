import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

type Problem = { error: string; details?: Array<{ path: string; message: string }> };

describe('reference upload with labels and scores (calibration of the label-free estimate)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  const put = (version: string, json: unknown) => s.api(`/api/v1/models/cal-model/versions/${version}/reference`, { method: 'PUT', json });
  const paths = async (res: Response) => ((await res.json()) as Problem).details?.map((d) => d.path);

  it('fits a binary calibration and reports ECE before and after', async () => {
    // Over-confident scores: rows scored 0.9 are positive 60% of the time, rows scored 0.1 40%.
    const score = [...Array<number>(10).fill(0.9), ...Array<number>(10).fill(0.1)];
    const labels = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const res = await put('v1', { features: { x: score }, labels, score });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { calibration: { kind: string; rows: number; ece_before: number; ece_after: number } };
    expect(body.calibration.kind).toBe('binary');
    expect(body.calibration.rows).toBe(20);
    // |0.6 − 0.9|·10/20 + |0.4 − 0.1|·10/20 = 0.3; the fitted map (0.6, 0.4) is exact in-sample.
    expect(body.calibration.ece_before).toBeCloseTo(0.3, 12);
    expect(body.calibration.ece_after).toBeCloseTo(0, 12);
  });

  it('fits a multiclass calibration from scores records', async () => {
    const scores = [
      { a: 0.7, b: 0.2, c: 0.1 },
      { a: 0.1, b: 0.8, c: 0.1 },
      { a: 0.2, b: 0.2, c: 0.6 },
    ];
    // Another model: cal-model's v1 reference made it binary (positive class "1"), and a model
    // with a positive class has at most two classes (class-arity.ts).
    const res = await s.api('/api/v1/models/cal-multi/versions/v1/reference', {
      method: 'PUT',
      json: { features: { x: [1, 2, 3] }, labels: ['a', 'b', 'c'], scores },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { calibration: { kind: string } }).calibration.kind).toBe('multiclass');
  });

  it('answers 400 naming the field when labels and scores do not fit together, and stores nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ features: { x: [1, 2] }, labels: [0, 1] }, 'labels'],
      [{ features: { x: [1, 2] }, score: [0.2, 0.4] }, 'labels'],
      [{ features: { x: [1, 2] }, labels: [0, 1], score: [0.3] }, 'score'],
      [{ features: { x: [1, 2] }, labels: ['yes', 'no'], score: [0.3, 0.4] }, 'positive_class'],
      [{ features: { x: [1, 2] }, labels: ['a', 'b', 'c'], score: [0.3, 0.4, 0.5], positive_class: 'a' }, 'labels'],
      [{ features: { x: [1, 2] }, labels: [0, 1], score: [0.3, 0.4], scores: [{ a: 1 }, { a: 1 }] }, 'scores'],
      [{ features: { x: [1, 2] }, labels: [0, 1], score: [0.3, 1.4] }, 'score[1]'],
      [{ features: { x: [1, 2] }, task: 'regression', labels: [0, 1], score: [0.3, 0.4] }, 'labels'],
    ];
    for (const [body, path] of cases) {
      const res = await put('bad', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await paths(res), JSON.stringify(body)).toContain(path);
    }
    expect((await s.parts.references.list()).filter((r) => r.version === 'bad')).toEqual([]);
  });
});
