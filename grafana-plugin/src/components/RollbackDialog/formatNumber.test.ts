import { formatNumber } from './RollbackNumbers';

describe('the rollback comparison formats numbers as on-call reads them', () => {
  it('latency in whole milliseconds under a second, not three decimals of them', () => {
    expect(formatNumber('p95LatencySeconds', 0.234375)).toBe('234 ms');
    expect(formatNumber('p95LatencySeconds', 1.5)).toBe('1.50 s');
  });

  it('accuracy as a percent with one decimal, labels as a count, missing as a dash', () => {
    expect(formatNumber('accuracy', 0.8612)).toBe('86.1%');
    expect(formatNumber('labeled', 420)).toBe('420');
    expect(formatNumber('accuracy', undefined)).toBe('—');
  });
});
