/**
 * Reads a number back from what a Grafana value format printed (`60.0%`, `20.0 ms`, `1.17 req/s`,
 * `70`), with the rounding the printed digits allow, so a test can compare the page with
 * Prometheus without formatting the expected value through the code under test.
 */
const SCALE: Record<string, number> = {
  '%': 0.01,
  ns: 1e-9,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  min: 60,
  hour: 3600,
  'req/s': 1,
  '': 1,
};

export function shownNumber(text: string): { value: number; tolerance: number } | null {
  const m = /^(-?\d+(?:\.(\d+))?)\s*(%|ns|µs|ms|s|min|hour|req\/s|)$/.exec(text.trim());
  if (!m) return null;
  const scale = SCALE[m[3]];
  const decimals = m[2]?.length ?? 0;
  return { value: Number(m[1]) * scale, tolerance: 0.5 * 10 ** -decimals * scale * (1 + 1e-9) };
}

/** True when `text` is how `expected` may print (missing/NaN prints as a dash). */
export function shows(text: string, expected: number | undefined): boolean {
  if (expected === undefined || !Number.isFinite(expected)) return text.trim() === '—' || text.trim() === 'NaN' || text.trim() === '';
  const parsed = shownNumber(text);
  return parsed !== null && Math.abs(parsed.value - expected) <= parsed.tolerance;
}
