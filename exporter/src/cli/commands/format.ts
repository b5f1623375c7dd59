/** Small helpers for human output: aligned tables, compact values. */

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [headers, ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${cell(x)}`)
      .join(',');
  return String(v);
}

type Row = Record<string, unknown>;

/** The human rendering of a listing: one table row per item of `value[key]`. */
export function listTable(
  key: string,
  headers: string[],
  row: (item: Row) => (string | number | null | undefined)[],
): (value: unknown) => string {
  return (value) => table(headers, listOf(value, key).map(row));
}

/** Lists come back either bare or wrapped (`{models: [...]}`); accept both. */
export function listOf(value: unknown, key: string): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  const inner = (value as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as Record<string, unknown>[]) : [];
}
