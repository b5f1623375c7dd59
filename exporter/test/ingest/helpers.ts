import { generateToken, hashSecret } from '../../src/auth/token-secret.js';
import type { Role } from '../../src/auth/roles.js';
import type { TestServer } from '../helpers/start.js';

/** Creates a token of `role` directly in the store (the registry's token API is another slice). */
export async function tokenFor(s: TestServer, role: Role): Promise<string> {
  const t = generateToken();
  await s.parts.tokens.insert({
    id: t.id,
    name: `test-${role}-${t.id}`,
    role,
    secretHash: hashSecret(t.secret),
    createdAt: new Date().toISOString(),
    createdBy: 'test',
    revokedAt: null,
  });
  return t.token;
}

/** Parses the Prometheus text format into `name{labels}` -> value (labels in exposition order). */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Value of the series `name` whose labels include every given pair; undefined if none. */
export function sample(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(series, name, labels);
  if (found.length > 1) throw new Error(`${found.length} series match ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export function samples(
  series: Map<string, number>,
  name: string,
  labels: Record<string, string> = {},
): Array<{ key: string; value: number }> {
  const out: Array<{ key: string; value: number }> = [];
  for (const [key, value] of series) {
    const brace = key.indexOf('{');
    const n = brace < 0 ? key : key.slice(0, brace);
    if (n !== name) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) out.push({ key, value });
  }
  return out;
}

export async function scrape(s: TestServer): Promise<Map<string, number>> {
  const res = await s.api('/metrics', { token: null });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}
