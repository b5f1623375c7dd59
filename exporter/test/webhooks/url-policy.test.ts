import { describe, expect, it } from 'vitest';
import { webhookUrlProblem, type Resolver } from '../../src/webhooks/url-policy.js';

/** A resolver answering from a table, to check what the policy does with each kind of answer. */
function fakeDns(table: Record<string, string[]>): Resolver {
  return async (host) => {
    const list = table[host];
    if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = fakeDns({
  'hooks.example.com': ['93.184.216.34'],
  'sneaky.example.com': ['93.184.216.34', '169.254.169.254'],
  'internal.example.com': ['10.1.2.3'],
  'v6-local.example.com': ['fd12::1'],
  'ec2-v6.example.com': ['fd00:ec2::254'],
});
const strict = { allowPrivate: false };
const lenient = { allowPrivate: true };

describe('webhook URL policy', () => {
  it('accepts http(s) URLs that resolve only to public addresses', async () => {
    expect(await webhookUrlProblem('https://hooks.example.com/ci', strict, dns)).toBeUndefined();
    expect(await webhookUrlProblem('http://93.184.216.34:8080/x', strict, dns)).toBeUndefined();
    // Transition forms embedding a public IPv4 address are judged by that address.
    expect(await webhookUrlProblem('http://[64:ff9b::5db8:d822]/x', strict, dns)).toBeUndefined();
    expect(await webhookUrlProblem('http://[2606:4700::1111]/x', strict, dns)).toBeUndefined();
  });

  it.each([
    ['ftp://hooks.example.com/x', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pw@hooks.example.com/x', /credentials/],
    ['not a url', /not a valid URL/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata host/],
    ['http://169.254.169.254/latest/meta-data/', /link-local, metadata/],
    ['http://[fd00:ec2::254]/latest/meta-data/', /link-local, metadata/],
    ['http://sneaky.example.com/', /resolves to 169\.254\.169\.254/],
    ['http://ec2-v6.example.com/', /resolves to fd00:ec2::254/],
    ['http://nowhere.example.com/', /does not resolve/],
    // Special-purpose ranges that are neither private nor global (issue 13, case 17).
    ['http://192.0.0.170/', /only global unicast/],
    ['http://192.0.2.1/', /only global unicast/],
    ['http://198.18.0.1/', /only global unicast/],
    ['http://255.255.255.255/', /only global unicast/],
    ['http://[2001:db8::1]/', /only global unicast/],
    ['http://[2001::1]/', /only global unicast/],
    ['http://[64:ff9b:1::7f00:1]/', /only global unicast/],
    ['http://[fec0::1]/', /only global unicast/],
    ['http://[64:ff9b::a9fe:a9fe]/', /169\.254\.169\.254/],
    ['http://[2002:a9fe:a9fe::]/', /169\.254\.169\.254/],
  ])('refuses %s', async (url, why) => {
    expect(await webhookUrlProblem(url, strict, dns)).toMatch(why);
    // metadata and malformed URLs stay refused even when private addresses are allowed
    expect(await webhookUrlProblem(url, lenient, dns)).toMatch(why);
  });

  it.each([
    'http://127.0.0.1:9000/hook',
    'http://[::1]:9000/hook',
    'http://10.0.0.5/hook',
    'http://192.168.1.10/hook',
    'http://172.20.0.1/hook',
    'http://[::ffff:127.0.0.1]/hook',
    // IPv6 forms embedding a loopback IPv4 address (issue 13, case 17).
    'http://[::127.0.0.1]:9/a',
    'http://[64:ff9b::7f00:1]:9/a',
    'http://[2002:7f00:1::]:9/a',
    'http://[::ffff:10.0.0.1]/hook',
    'http://[64:ff9b::a00:1]/hook',
    'http://100.64.1.1/hook',
    'http://internal.example.com/hook',
    'http://v6-local.example.com/hook',
  ])('refuses loopback/private %s unless allowed', async (url) => {
    expect(await webhookUrlProblem(url, strict, dns)).toMatch(/loopback or private/);
    expect(await webhookUrlProblem(url, lenient, dns)).toBeUndefined();
  });

  it('resolves names with the system resolver: localhost is loopback', async () => {
    expect(await webhookUrlProblem('http://localhost:9/hook', strict)).toMatch(/resolves to .*loopback or private/);
    expect(await webhookUrlProblem('http://localhost:9/hook', lenient)).toBeUndefined();
  });
});
