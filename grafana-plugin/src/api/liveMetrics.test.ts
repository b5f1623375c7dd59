import { valuesByModel } from './liveMetrics';

describe('valuesByModel', () => {
  it('takes the last numeric value of each series keyed by its model label', () => {
    const response = {
      results: {
        A: {
          frames: [
            {
              schema: { fields: [{ type: 'time' }, { type: 'number', labels: { model: 'a' } }] },
              data: {
                values: [
                  [1, 2],
                  [0.5, 0.75],
                ],
              },
            },
            { schema: { fields: [{ type: 'time' }, { type: 'number', labels: { model: 'b' } }] }, data: { values: [[1], [NaN]] } },
            { schema: { fields: [{ type: 'time' }, { type: 'number', labels: {} }] }, data: { values: [[1], [3]] } },
          ],
        },
      },
    };
    expect(valuesByModel(response, 'A')).toEqual({ a: 0.75 });
    expect(valuesByModel(response, 'B')).toEqual({});
    expect(valuesByModel(null, 'A')).toEqual({});
  });
});
