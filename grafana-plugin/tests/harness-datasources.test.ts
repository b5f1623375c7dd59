import {
  alignRange,
  instantResultToFrames,
  parseGrafanaTime,
  queryStepMs,
  rangeResultToFrames,
  type HarnessDatasource,
} from '../harness/datasources';

// The harness's stand-in for Grafana's Prometheus backend, on the cases the browser test's real
// Prometheus does not produce: non-finite values, an empty result, a query error.
const ds: HarnessDatasource = {
  uid: 'p',
  name: 'Prometheus',
  type: 'prometheus',
  url: 'http://127.0.0.1:1',
  jsonData: { timeInterval: '1s' },
};

describe('harness /api/ds/query translation', () => {
  it('resolves Grafana relative times and epoch milliseconds', () => {
    expect(parseGrafanaTime('now', 1_000_000)).toBe(1_000_000);
    expect(parseGrafanaTime('now-5m', 1_000_000)).toBe(700_000);
    expect(parseGrafanaTime('1700000000000', 1)).toBe(1_700_000_000_000);
    expect(() => parseGrafanaTime('yesterday', 1)).toThrow('unsupported time');
  });

  it('steps by range / maxDataPoints, rounded, never below the datasource interval', () => {
    expect(queryStepMs(0, 300_000, 100, ds)).toBe(2000);
    expect(queryStepMs(0, 300_000, 100, { ...ds, jsonData: { timeInterval: '15s' } })).toBe(15_000);
    expect(queryStepMs(0, 6 * 3_600_000, 100, ds)).toBe(300_000);
  });

  it('writes NaN and infinities as null with their positions in data.entities', () => {
    const r = instantResultToFrames('A', 'x', 2000, 200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { model: 'a' }, value: [1700000000.5, 'NaN'] },
          { metric: { model: 'b' }, value: [1700000000.5, '+Inf'] },
          { metric: { model: 'c' }, value: [1700000000.5, '0.25'] },
          { metric: { model: 'd' }, value: [1700000000.5, '-Inf'] },
        ],
      },
    });
    expect(r.status).toBe(200);
    const frames = r.frames as Array<{
      schema: { refId: string; meta: Record<string, unknown>; fields: Array<{ labels?: unknown }> };
      data: { values: unknown[][]; entities?: unknown[] };
    }>;
    expect(frames.map((f) => f.data)).toEqual([
      { values: [[1700000000500], [null]], entities: [null, { NaN: [0] }] },
      { values: [[1700000000500], [null]], entities: [null, { Inf: [0] }] },
      { values: [[1700000000500], [0.25]] },
      { values: [[1700000000500], [null]], entities: [null, { NegInf: [0] }] },
    ]);
    expect(frames.map((f) => f.schema.fields[1].labels)).toEqual([{ model: 'a' }, { model: 'b' }, { model: 'c' }, { model: 'd' }]);
    expect(frames.every((f) => f.schema.refId === 'A' && f.schema.meta.type === 'numeric-multi')).toBe(true);
    // Grafana puts the executed query on the first frame only.
    expect(frames.map((f) => 'executedQueryString' in f.schema.meta)).toEqual([true, false, false, false]);
  });

  it('answers an empty vector with one field-less frame, and a Prometheus error as the result error', () => {
    const empty = instantResultToFrames('B', 'x', 2000, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    expect(empty.frames).toEqual([
      { schema: { refId: 'B', meta: { typeVersion: [0, 0], executedQueryString: 'Expr: x\nStep: 2s' }, fields: [] }, data: { values: [] } },
    ]);
    const failed = instantResultToFrames('C', 'up{', 2000, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' });
    expect(failed).toEqual({ status: 400, error: 'bad_data: parse error' });
  });

  it('answers a range query with one timeseries-multi frame per series, as pkg/promlib does for a matrix', () => {
    const r = rangeResultToFrames('R', 'x', 2000, 200, {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { version: '1' },
            values: [
              [1700000000, '0.5'],
              [1700000002, 'NaN'],
              [1700000004, '0.75'],
            ],
          },
          { metric: { version: '2' }, values: [[1700000002, '1']] },
        ],
      },
    });
    const frames = r.frames as Array<{
      schema: { meta: Record<string, unknown>; fields: Array<{ name: string; labels?: unknown }> };
      data: unknown;
    }>;
    expect(frames.map((f) => f.data)).toEqual([
      {
        values: [
          [1700000000000, 1700000002000, 1700000004000],
          [0.5, null, 0.75],
        ],
        entities: [null, { NaN: [1] }],
      },
      { values: [[1700000002000], [1]] },
    ]);
    expect(
      frames.map((f) => [f.schema.meta.type, f.schema.meta.custom, f.schema.fields.map((x) => x.name), f.schema.fields[1].labels]),
    ).toEqual([
      ['timeseries-multi', { resultType: 'matrix' }, ['Time', 'Value'], { version: '1' }],
      ['timeseries-multi', { resultType: 'matrix' }, ['Time', 'Value'], { version: '2' }],
    ]);
    // A vector where a matrix belongs is the harness's fault, said as such.
    expect(rangeResultToFrames('R', 'x', 2000, 200, { status: 'success', data: { resultType: 'vector', result: [] } }).status).toBe(500);
  });

  it('aligns a range query to its step before asking Prometheus', () => {
    expect(alignRange(1_700_000_001_500, 1_700_000_061_900, 2000)).toEqual({ startS: 1_700_000_000, endS: 1_700_000_060 });
    expect(alignRange(1_700_000_010_000, 1_700_000_070_000, 15_000)).toEqual({ startS: 1_700_000_010, endS: 1_700_000_070 });
  });
});
