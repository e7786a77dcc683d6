// The firewall's pure decisions, table-driven: CIDR parsing and matching (IPv4, IPv6,
// IPv4-mapped peers), the token bucket on a fake clock, path deny rules, the field-by-field
// merge of route and default firewall.
import { describe, expect, it } from 'vitest';
import { cidrContains, effectiveSwitches, parseCidr, parseIp, type Firewall } from '../../proxy-core/contract/index.js';
import { compileDeny, normalisePath } from '../../proxy-core/engine/policies/path-rules.js';
import { fullBucket, isIdle, take } from '../../proxy-core/engine/policies/rate-bucket.js';
import { isAllowed } from '../../proxy-core/engine/policies/ip-allow.js';
import { ClientBuckets } from '../../proxy-core/engine/policies/rate-limit.js';

describe('CIDR ranges', () => {
  // [range, peer address as a socket reports it, inside?]
  const MATRIX: [string, string, boolean][] = [
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.1', '127.0.0.2', false],
    ['127.0.0.0/8', '127.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.77/24', '192.168.1.3', true], // host bits in the range are ignored
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '::1', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true], // a dual-stack socket's IPv4 peer
    ['::ffff:10.0.0.0/104', '10.200.0.1', true], // an IPv4 range written the IPv6 way
    ['::1', '::1', true],
    ['::1/128', '::2', false],
    ['fd00::/8', 'fd12:3456::1', true],
    ['fd00::/8', 'fe80::1', false],
    ['fe80::/10', 'fe80::1%eth0', true], // zone ids are ignored
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['::/0', '2001:db8::1', true],
    ['::/0', '1.2.3.4', false],
  ];
  it.each(MATRIX)('%s contains %s: %s', (range, peer, inside) => {
    expect(cidrContains(parseCidr(range)!, parseIp(peer)!)).toBe(inside);
  });

  it.each(['', '1.2.3', '256.0.0.1', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/x', '::1/129', '1::2::3', '1:2:3:4:5:6:7:8:9', 'shop.localhost', 'g::1'])(
    'refuses "%s"',
    (text) => expect(parseCidr(text)).toBeUndefined(),
  );

  it('refuses unknown or unparsable peers', () => {
    const ranges = [parseCidr('0.0.0.0/0')!, parseCidr('::/0')!];
    expect(isAllowed(ranges, undefined)).toBe(false);
    expect(isAllowed(ranges, 'garbage')).toBe(false);
    expect(isAllowed(ranges, '::ffff:192.168.0.1')).toBe(true);
  });
});

describe('token bucket', () => {
  const rate = { perSecond: 2, burst: 3 };
  it('grants the burst at once, then one token every 1/rate seconds, announcing the wait', () => {
    const bucket = fullBucket(rate, 0);
    expect([take(bucket, rate, 0), take(bucket, rate, 0), take(bucket, rate, 0)]).toEqual([0, 0, 0]);
    expect(take(bucket, rate, 0)).toBe(500);
    expect(take(bucket, rate, 250)).toBe(250);
    expect(take(bucket, rate, 500)).toBe(0);
    expect(take(bucket, rate, 500)).toBe(500);
  });

  it('never holds more than the burst, and a clock going back changes nothing', () => {
    const bucket = fullBucket(rate, 0);
    take(bucket, rate, 60_000);
    expect(bucket.tokens).toBe(2);
    expect(take(bucket, rate, 1_000)).toBe(0);
  });

  it('calls a bucket idle once it would be full again', () => {
    const bucket = fullBucket(rate, 0);
    take(bucket, rate, 0);
    expect(isIdle(bucket, rate, 400)).toBe(false);
    expect(isIdle(bucket, rate, 500)).toBe(true);
  });

  it('keeps one bucket per client and drops idle ones on the sweep', () => {
    let now = 0;
    const buckets = new ClientBuckets({ perSecond: 1, burst: 1 }, () => now);
    now = 20_000; // past the first sweep time
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1000);
    expect(buckets.take('b')).toBe(0);
    expect(buckets.size).toBe(2);
    now = 40_000; // both refilled long ago: the next call sweeps them
    expect(buckets.take('c')).toBe(0);
    expect(buckets.size).toBe(1);
  });
});

describe('path deny rules', () => {
  it.each([
    ['/admin', '/admin'],
    ['/admin/', '/admin/'],
    ['/a/./b/../c', '/a/c'],
    ['/%61dmin?x=/admin', '/admin'],
    ['//admin', '/admin'],
    ['/a%3Fb', '/a%3Fb'], // an escaped "?" stays part of the path
    ['/bad%zz', '/bad%zz'],
  ])('normalises %s to %s', (url, path) => expect(normalisePath(url)).toBe(path));

  const rules = compileDeny(['/admin', '/static/', { regex: '\\.(env|git)(/|$)' }]);
  it.each([
    ['/admin', '/admin'],
    ['/admin/x', '/admin'],
    ['/administrator', undefined],
    ['/static', '/static/'],
    ['/static/app.js', '/static/'],
    ['/.env', 'regex \\.(env|git)(/|$)'],
    ['/repo/.git/HEAD', 'regex \\.(env|git)(/|$)'],
    ['/envelope', undefined],
    ['/', undefined],
  ])('%s → %s', (url, rule) => expect(rules.match(url)).toBe(rule));
});

describe('route firewall over the defaults', () => {
  const effectiveFirewall = (own: Firewall | undefined, defaults: Firewall | undefined) =>
    effectiveSwitches({ firewall: own }, { firewall: defaults }).firewall;
  const defaults = { allow: ['10.0.0.0/8'], rateLimit: { requestsPerSecond: 5 }, deny: ['/admin'] };
  it.each([
    ['no own fields: the defaults', undefined, defaults],
    ['own rateLimit replaces only that field', { rateLimit: { requestsPerSecond: 50 } }, { ...defaults, rateLimit: { requestsPerSecond: 50 } }],
    ['false and [] switch defaults off', { rateLimit: false as const, deny: [] }, { allow: ['10.0.0.0/8'], rateLimit: false, deny: [] }],
    ['no defaults: the route alone', { maxBodyBytes: 10 }, { ...defaults, maxBodyBytes: 10 }],
  ])('%s', (_name, own, expected) => expect(effectiveFirewall(own, defaults)).toEqual(expected));
  it('has nothing when neither sets anything', () => expect(effectiveFirewall(undefined, undefined)).toEqual({}));
});
