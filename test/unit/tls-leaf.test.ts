// Leaf policy in isolation: lifetime, renewal threshold, subject alternative names; and the
// name constraints written into a root for custom suffixes.
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createRootCa, issueLeaf, LEAF_DAYS, RENEW_BEFORE_DAYS } from '../../proxy-core/tls/index.js';
import { leafNames, needsRenewal } from '../../proxy-core/tls/leaf.js';
import { permittedNames } from '../../proxy-core/tls/name-constraints.js';

const DAY = 86_400_000;

describe('leaf policy', () => {
  it('lives well under the 397-day ceiling browsers enforce, and is renewed with time to spare', () => {
    expect(LEAF_DAYS).toBeLessThanOrEqual(397);
    expect(RENEW_BEFORE_DAYS).toBeGreaterThan(0);
    expect(RENEW_BEFORE_DAYS).toBeLessThan(LEAF_DAYS);
  });

  it('needs renewal once less than RENEW_BEFORE_DAYS remain (and when expired)', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    expect(needsRenewal(at(LEAF_DAYS), now)).toBe(false);
    expect(needsRenewal(at(RENEW_BEFORE_DAYS), now)).toBe(false);
    expect(needsRenewal(new Date(at(RENEW_BEFORE_DAYS).getTime() - 1), now)).toBe(true);
    expect(needsRenewal(at(1), now)).toBe(true);
    expect(needsRenewal(at(-1), now)).toBe(true);
  });

  it('names a host and its direct subdomains; an address as an address', () => {
    expect(leafNames('shop.localhost')).toEqual([
      { type: 'dns', value: 'shop.localhost' },
      { type: 'dns', value: '*.shop.localhost' },
    ]);
    expect(leafNames('127.0.0.1')).toEqual([{ type: 'ip', value: '127.0.0.1' }]);
    expect(leafNames('::1')).toEqual([{ type: 'ip', value: '::1' }]);
  });

  it('issues a leaf valid from just before `now` for LEAF_DAYS, with an injected clock', async () => {
    const ca = await createRootCa(['localhost', 'test'], new Date(Date.now() - 400 * DAY));
    const now = new Date(Date.now() - 100 * DAY);
    const leaf = await issueLeaf(ca, 'clock.localhost', now);
    const cert = new X509Certificate(leaf.certPem);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime() - Date.parse(cert.validFrom)).toBeLessThan(10 * 60_000);
    expect(Math.abs(Date.parse(cert.validTo) - (now.getTime() + LEAF_DAYS * DAY))).toBeLessThan(1_000);
    expect(leaf.notAfter.getTime()).toBe(now.getTime() + LEAF_DAYS * DAY);
  });
});

describe('root name constraints', () => {
  it('permit exactly the given suffixes plus 127.0.0.0/8 and ::1/128, as a critical extension', async () => {
    const ca = await createRootCa(['corp.example', 'test']);
    const parsed = new x509.X509Certificate(ca.certPem);
    expect(permittedNames(parsed)).toEqual(['corp.example', 'test', '127.0.0.0/8', '::1/128']);
    expect(parsed.getExtension('2.5.29.30')?.critical).toBe(true);
    expect(ca.suffixes).toEqual(['corp.example', 'test']);
    expect(ca.cert.ca).toBe(true);
  });
});
