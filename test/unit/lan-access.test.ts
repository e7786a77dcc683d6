// The LAN gate as a table: each row a request from another device (plain objects, as
// http-proxy-3's own pass tests build them) and what the gate answers or leaves behind.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RouteSchema, type Route } from '../../proxy-core/contract/index.js';
import { lanRefusal, splitTokenParam, type LanGate } from '../../proxy-core/engine/lan/lan-access.js';

const TOKEN = 'f'.repeat(48);
const ON: LanGate = { enabled: true, token: TOKEN };
const SHARED = RouteSchema.parse({ host: 'shop.localhost', target: 'http://127.0.0.1:3000', share: true });
const PRIVATE = RouteSchema.parse({ host: 'shop.localhost', pathPrefix: '/admin', target: 'http://127.0.0.1:3000' });

const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('lanRefusal: who is turned away, with which mark', () => {
  it.each<[string, IncomingMessage, Route | undefined, LanGate | undefined, number, string]>([
    ['sharing off', req('/', { authorization: `Bearer ${TOKEN}` }), SHARED, { enabled: false, token: TOKEN }, 403, 'lan: sharing off'],
    ['an engine without a token', req('/'), SHARED, undefined, 403, 'lan: sharing off'],
    ['no route matched', req('/x', { authorization: `Bearer ${TOKEN}` }), undefined, ON, 403, 'lan: route not shared'],
    ['a route not shared, token or not', req('/admin', { authorization: `Bearer ${TOKEN}` }), PRIVATE, ON, 403, 'lan: route not shared'],
    ['no token at all', req('/'), SHARED, ON, 403, 'lan: missing token'],
    ['a Basic header is not the token', req('/', { authorization: 'Basic dTpw' }), SHARED, ON, 403, 'lan: missing token'],
    ['a wrong Bearer token', req('/', { authorization: `Bearer ${'0'.repeat(48)}` }), SHARED, ON, 403, 'lan: wrong token'],
    ['a stale cookie', req('/', { cookie: `portico-lan=${'0'.repeat(48)}` }), SHARED, ON, 403, 'lan: wrong token'],
    ['a wrong token in the link', req('/?portico-token=abc'), SHARED, ON, 403, 'lan: wrong token'],
    ['a malformed escape in the link', req('/?portico-token=%E0%A4%A'), SHARED, ON, 403, 'lan: wrong token'],
    ['a shorter prefix of the token', req('/', { authorization: `Bearer ${TOKEN.slice(0, 47)}` }), SHARED, ON, 403, 'lan: wrong token'],
  ])('%s', (_why, request, route, gate, status, mark) => {
    expect(lanRefusal(request, route, gate, 'http')).toMatchObject({ status, mark });
  });
});

describe('lanRefusal: who gets through, and what the backend then sees', () => {
  it('a Bearer token: let through, the header taken off', () => {
    const r = req('/a', { authorization: `Bearer ${TOKEN}`, accept: '*/*' });
    expect(lanRefusal(r, SHARED, ON, 'http')).toBeUndefined();
    expect(r.headers).toEqual({ accept: '*/*' });
  });

  it.each([
    [`portico-lan=${TOKEN}`, undefined],
    [`a=1; portico-lan=${TOKEN}; b=2`, 'a=1; b=2'],
    [`portico-lan=${TOKEN};theme=dark`, 'theme=dark'],
  ])('the cookie %s: let through, the backend gets %s', (cookie, left) => {
    const r = req('/a', { cookie });
    expect(lanRefusal(r, SHARED, ON, 'http')).toBeUndefined();
    expect(r.headers.cookie).toBe(left);
  });

  it('the token in the link: 303 to the same URL without it, with an HttpOnly cookie', () => {
    const refusal = lanRefusal(req(`/p?x=1&portico-token=${TOKEN}`), SHARED, ON, 'http');
    expect(refusal).toMatchObject({ status: 303, mark: 'lan: token accepted, cookie set', headers: { location: '/p?x=1' } });
    expect(refusal?.headers?.['set-cookie']).toBe(`portico-lan=${TOKEN}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`);
  });

  it('a WebSocket with the token in its URL (no redirect possible): let through, the parameter taken off', () => {
    const r = req(`/hmr?portico-token=${TOKEN}&v=2`);
    expect(lanRefusal(r, SHARED, ON, 'websocket')).toBeUndefined();
    expect(r.url).toBe('/hmr?v=2');
  });
});

describe('splitTokenParam', () => {
  it.each([
    ['/', { url: '/' }],
    ['/a?b=1', { url: '/a?b=1' }],
    ['/a?portico-token=t', { token: 't', url: '/a' }],
    ['/a?b=%20&portico-token=t&c=+', { token: 't', url: '/a?b=%20&c=+' }],
    ['/a?xportico-token=t', { url: '/a?xportico-token=t' }],
    ['/a?portico-token=a%2Fb', { token: 'a/b', url: '/a' }],
  ])('%s', (url, expected) => {
    expect(splitTokenParam(url)).toEqual(expected);
  });
});
