import { BlockList, isIP } from 'node:net';

/**
 * Which destination addresses an outbound webhook may reach. Webhook URLs come from API
 * callers, so without this an admin token (or a stolen one) could make the exporter probe
 * its own network or read a cloud metadata service (SSRF).
 *
 * Metadata and link-local addresses are refused always: no legitimate CI or chat endpoint
 * lives there. Loopback and private ranges are refused unless the operator opts in
 * (MODELWATCH_WEBHOOK_ALLOW_PRIVATE=true), for on-prem receivers and tests.
 */
const ALWAYS_BLOCKED = new BlockList();
ALWAYS_BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, incl. 169.254.169.254 metadata
ALWAYS_BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network"; 0.0.0.0 reaches localhost on Linux
ALWAYS_BLOCKED.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
ALWAYS_BLOCKED.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, broadcast
ALWAYS_BLOCKED.addSubnet('fe80::', 10, 'ipv6'); // link-local
ALWAYS_BLOCKED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
ALWAYS_BLOCKED.addAddress('::', 'ipv6');
ALWAYS_BLOCKED.addSubnet('ff00::', 8, 'ipv6'); // multicast

const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** Host names of metadata services, refused before any DNS lookup. */
const BLOCKED_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

export interface AddressPolicy {
  allowPrivate: boolean;
}

/** Why `address` (an IP literal) may not be contacted, or undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (ALWAYS_BLOCKED.check(address, type)) return `${address} is a link-local, metadata or reserved address`;
  if (!policy.allowPrivate && PRIVATE.check(address, type)) {
    return `${address} is a loopback or private address (set MODELWATCH_WEBHOOK_ALLOW_PRIVATE=true to allow)`;
  }
  return undefined;
}

export function refusedHostname(hostname: string): string | undefined {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return BLOCKED_HOSTNAMES.has(h) ? `${hostname} is a cloud metadata host` : undefined;
}
