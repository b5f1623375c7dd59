import { formatTime } from './Time';

describe('formatTime', () => {
  it('shows an exporter timestamp in the user’s timezone, as Grafana formats dates', () => {
    expect(formatTime('2026-11-30T19:00:05.123Z', 'utc')).toBe('2026-11-30 19:00:05');
    expect(formatTime('2026-11-30T19:00:05.123Z', 'Europe/Berlin')).toBe('2026-11-30 20:00:05');
    expect(formatTime('2026-07-01T00:00:00Z', 'America/New_York')).toBe('2026-06-30 20:00:00');
  });

  it('leaves text that is not a date alone', () => {
    expect(formatTime('yesterday', 'utc')).toBe('yesterday');
  });
});
