import { afterAll, describe, expect, it } from 'vitest';
import type { IncomingHttpHeaders } from 'node:http';
import { addForwardedHeaders } from '../../proxy-core/engine/http/forwarded.js';
import { rewriteCookieDomain, rewriteLocation } from '../../proxy-core/engine/upstream/location-rewrite.js';
import { describeUpstreamError } from '../../proxy-core/engine/upstream/upstream-errors.js';
import { UpstreamPool } from '../../proxy-core/engine/upstream/pool.js';

const pool = new UpstreamPool();
afterAll(() => pool.destroy());
const upstream = pool.get('http://127.0.0.1:3000');
const side = { origin: 'https://shop.localhost:8443', hostname: 'shop.localhost' };

describe('rewriteLocation', () => {
  it.each([
    ['http://localhost:3000/login?next=/', 'https://shop.localhost:8443/login?next=/'],
    ['http://127.0.0.1:3000/', 'https://shop.localhost:8443/'],
    ['http://[::1]:3000/a#b', 'https://shop.localhost:8443/a#b'],
    ['/relative', '/relative'],
    ['relative/path', 'relative/path'],
    ['http://localhost:4000/other-port', 'http://localhost:4000/other-port'],
    ['https://github.com/login', 'https://github.com/login'],
    ['mailto:a@b.c', 'mailto:a@b.c'],
  ])('%s → %s', (location, expected) => {
    expect(rewriteLocation(location, upstream, side)).toBe(expected);
  });
});

describe('rewriteCookieDomain', () => {
  it.each([
    ['a=1; Domain=localhost; Path=/', 'a=1; Domain=shop.localhost; Path=/'],
    ['a=1; domain=.localhost', 'a=1; Domain=shop.localhost'],
    ['a=1; Path=/; Domain=127.0.0.1; HttpOnly', 'a=1; Path=/; Domain=shop.localhost; HttpOnly'],
    ['a=1; Path=/', 'a=1; Path=/'],
    ['a=1; Domain=example.com', 'a=1; Domain=example.com'],
  ])('%s → %s', (cookie, expected) => {
    expect(rewriteCookieDomain(cookie, upstream, side)).toBe(expected);
  });
});

describe('addForwardedHeaders', () => {
  it('sets this hop and replaces the chain a client sent', () => {
    const headers: IncomingHttpHeaders = {
      'x-forwarded-for': '203.0.113.9',
      'x-real-ip': '203.0.113.9',
      'x-forwarded-proto': 'https',
      forwarded: 'for=203.0.113.9',
    };
    addForwardedHeaders(headers, { remoteAddress: '::ffff:127.0.0.1', encrypted: false, host: 'shop.localhost:8080', localPort: 8080 });
    expect(headers).toEqual({
      'x-forwarded-for': '127.0.0.1',
      'x-real-ip': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.localhost:8080',
      'x-forwarded-port': '8080',
      forwarded: 'for=127.0.0.1;host="shop.localhost:8080";proto=http',
    });
  });

  it('sets this hop and appends to the chain when the route trusts a proxy in front', () => {
    const headers: IncomingHttpHeaders = { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', forwarded: 'for=203.0.113.9' };
    addForwardedHeaders(headers, { remoteAddress: '::ffff:127.0.0.1', encrypted: false, host: 'shop.localhost:8080', localPort: 8080, trustChain: true });
    expect(headers).toEqual({
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.localhost:8080',
      'x-forwarded-port': '8080',
      forwarded: 'for=203.0.113.9, for=127.0.0.1;host="shop.localhost:8080";proto=http',
    });
  });

  it('brackets and quotes IPv6 in Forwarded', () => {
    const headers: IncomingHttpHeaders = {};
    addForwardedHeaders(headers, { remoteAddress: '::1', encrypted: true, host: 'shop.localhost', localPort: 443 });
    expect(headers.forwarded).toBe('for="[::1]";host="shop.localhost";proto=https');
    expect(headers['x-forwarded-for']).toBe('::1');
    expect(headers['x-forwarded-proto']).toBe('https');
  });
});

describe('describeUpstreamError', () => {
  const timeouts = { connectMs: 5000, responseMs: 1500 };
  const err = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['ECONNREFUSED', 502, 'Nothing is listening on 127.0.0.1:3000 — is your dev server running?'],
    ['ECONNRESET', 502, '127.0.0.1:3000 closed the connection'],
    ['ECONNECT_TIMEOUT', 504, 'did not accept the connection within 5 s'],
    ['PORTICO_RESPONSE_TIMEOUT', 504, 'sent no response within 1.5 s'],
    ['HPE_INVALID_CONSTANT', 502, 'not valid HTTP (HPE_INVALID_CONSTANT)'],
    ['EWHATEVER', 502, 'Talking to 127.0.0.1:3000 failed: EWHATEVER'],
  ])('%s → %i', (code, status, sentence) => {
    const failure = describeUpstreamError(err(code), upstream, timeouts);
    expect(failure.status).toBe(status);
    expect(failure.advice).toContain(sentence);
  });
});
