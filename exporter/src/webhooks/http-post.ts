import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { refusedAddress, refusedHostname, type AddressPolicy } from './address-policy.js';
import { bareHost } from './url-policy.js';

export interface PostResult {
  /** HTTP status, or undefined when no response arrived. */
  status?: number;
  /** Set when the request failed before a response (refused address, network, timeout). */
  error?: string;
  /** True when the destination itself is forbidden: retrying cannot help. */
  forbidden?: boolean;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup that refuses forbidden addresses at connect time, so a name that resolved
 * to a public address when the webhook was saved cannot be re-pointed at 169.254.169.254
 * or localhost later (DNS rebinding).
 */
function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const problem = refusedAddress(a.address, policy);
        if (problem) return callback(Object.assign(new Error(`refused: ${hostname} ${problem}`), { code: 'EWEBHOOKFORBIDDEN' }), '');
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** POSTs a JSON body once. Redirects are not followed: a 3xx is a failed delivery. */
export function postJson(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: AddressPolicy,
  timeoutMs: number,
): Promise<PostResult> {
  const url = new URL(rawUrl);
  const host = bareHost(url);
  const refused = refusedHostname(host) ?? (isIP(host) ? refusedAddress(host, policy) : undefined);
  if (refused) return Promise.resolve({ error: `refused: ${refused}`, forbidden: true });
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'modelwatch-webhooks',
          ...headers,
        },
        lookup: guardedLookup(policy) as unknown as typeof dns.lookup,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume(); // the receiver's body is not needed; drain it so the socket is released
        res.once('end', () => resolve({ status: res.statusCode }));
        res.once('error', () => resolve({ status: res.statusCode }));
      },
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.once('error', (err: NodeJS.ErrnoException) => {
      resolve({ error: err.message, forbidden: err.code === 'EWEBHOOKFORBIDDEN' });
    });
    req.end(body);
  });
}
