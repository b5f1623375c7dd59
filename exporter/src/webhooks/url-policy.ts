import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedAddress, refusedHostname, type AddressPolicy } from './address-policy.js';

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A URL in brackets for IPv6 (`[::1]`) is looked up without them. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks a webhook URL when it is configured: scheme, no credentials, and every address the
 * name resolves to. Delivery checks again at connect time (see http-post.ts), because DNS
 * may answer differently later. Returns the problem, or undefined when the URL is acceptable.
 */
export async function webhookUrlProblem(
  raw: string,
  policy: AddressPolicy,
  resolve: Resolver = systemResolver,
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use http or https';
  if (url.username || url.password) return 'must not contain credentials (use the signing secret instead)';
  const host = bareHost(url);
  const byName = refusedHostname(host);
  if (byName) return byName;
  if (isIP(host)) return refusedAddress(host, policy);
  let addresses: { address: string }[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    return `host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (addresses.length === 0) return `host ${host} does not resolve`;
  for (const { address } of addresses) {
    const problem = refusedAddress(address, policy);
    if (problem) return `resolves to ${problem}`;
  }
  return undefined;
}
