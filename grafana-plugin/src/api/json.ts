/** Small readers for JSON of unknown shape: the pages never trust the exporter's types blindly. */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function asNumberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Reads the first of several spellings of one field (`production_version`, `productionVersion`). */
export function pick(obj: JsonObject, ...keys: string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined) return obj[k];
  return undefined;
}

/** A list answer may be a bare array or wrapped: `{models: [...]}`, `{items: [...]}`. */
export function listOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value;
  const obj = asObject(value);
  return asArray(obj[key] ?? obj.items ?? obj.data);
}
