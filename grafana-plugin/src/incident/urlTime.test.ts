import { parseUrlTime } from './urlTime';

describe('parseUrlTime (Grafana URL time values)', () => {
  it('keeps relative times as text', () => {
    expect(parseUrlTime('now-1h')).toBe('now-1h');
    expect(parseUrlTime('now')).toBe('now');
  });

  it('reads epoch milliseconds, compact UTC dates and ISO dates', () => {
    expect(parseUrlTime('1764540416000')?.valueOf()).toBe(1764540416000);
    expect(parseUrlTime('20250102')?.valueOf()).toBe(Date.UTC(2025, 0, 2));
    expect(parseUrlTime('20250102T030405')?.valueOf()).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(parseUrlTime('2025-01-02T03:04:05Z')?.valueOf()).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
  });

  it('refuses what is not a time', () => {
    expect(parseUrlTime('yesterday')).toBeNull();
    expect(parseUrlTime(null)).toBeNull();
  });
});
