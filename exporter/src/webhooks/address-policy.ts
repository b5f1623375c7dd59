import ipaddr from 'ipaddr.js';

/**
 * Which destination addresses an outbound webhook may reach. Webhook URLs come from API
 * callers, so without this an admin token (or a stolen one) could make the exporter probe
 * its own network or read a cloud metadata service (SSRF).
 *
 * Addresses are classified by ipaddr.js's special-range tables (IANA special-purpose
 * registries), so the rule covers families, not spellings: only global unicast is allowed.
 * IPv6 forms that embed an IPv4 address are judged by the address they embed (IPv4-mapped
 * and -compatible `::ffff:a.b.c.d` / `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`),
 * or refused when the embedding cannot be trusted (Teredo, the local-use NAT64 prefix).
 * Loopback, private (RFC 1918, unique local) and carrier-grade NAT are allowed only when the
 * operator opts in (MODELWATCH_WEBHOOK_ALLOW_PRIVATE=true), for on-prem receivers and tests.
 * Everything else — link-local, metadata, multicast, reserved, documentation, benchmarking,
 * 192.0.0.0/24 (192.0.0.170 is NAT64 discovery) — is refused always.
 */

/** Ranges (ipaddr.js names) an operator may open with MODELWATCH_WEBHOOK_ALLOW_PRIVATE. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Metadata services that live inside an otherwise private range. */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254']);

/** Host names of metadata services, refused before any DNS lookup. */
const BLOCKED_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

export interface AddressPolicy {
  allowPrivate: boolean;
}

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

/** The IPv4 address an IPv6 transition form carries, or undefined for a plain IPv6 address. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const b = a.toByteArray();
  const v4 = (at: number) => new ipaddr.IPv4(b.slice(at, at + 4));
  const range = a.range();
  if (range === 'ipv4Mapped') return a.toIPv4Address();
  // IPv4-compatible (::a.b.c.d, deprecated) parses as unspecified/reserved: first 96 bits zero.
  if (b.slice(0, 12).every((x) => x === 0) && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] <= 1)) return v4(12);
  if (range === 'rfc6052' && b[4] === 0 && b[5] === 0) return v4(12); // 64:ff9b::/96
  if (range === '6to4') return v4(2);
  return undefined;
}

function classify(a: Parsed): { range: string; shown: string } {
  if (a.kind() === 'ipv6') {
    const inner = embeddedIPv4(a as ipaddr.IPv6);
    if (inner) return { range: inner.range(), shown: `${a.toString()} (embedding ${inner.toString()})` };
  }
  return { range: a.range(), shown: a.toString() };
}

/** Why `address` (an IP literal) may not be contacted, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  if (METADATA_ADDRESSES.has(parsed.toNormalizedString()) || METADATA_ADDRESSES.has(parsed.toString())) {
    return `${address} is a link-local, metadata or reserved address`;
  }
  const { range, shown } = classify(parsed);
  if (range === 'unicast') return undefined;
  if (PRIVATE_RANGES.has(range)) {
    return policy.allowPrivate
      ? undefined
      : `${shown} is a loopback or private address (set MODELWATCH_WEBHOOK_ALLOW_PRIVATE=true to allow)`;
  }
  return `${shown} is a link-local, metadata or reserved address (${range}); only global unicast is allowed`;
}

export function refusedHostname(hostname: string): string | undefined {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return BLOCKED_HOSTNAMES.has(h) ? `${hostname} is a cloud metadata host` : undefined;
}
