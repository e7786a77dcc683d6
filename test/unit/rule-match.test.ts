// A rule's match on plain request objects: hosts exact and wildcard, path prefixes on
// segment boundaries, regexes on path and query, methods, header and query values, and
// which routes a rule could ever apply to.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RuleSchema, type RuleInput } from '../../proxy-core/contract/index.js';
import { compileRule } from '../../proxy-core/engine/rules/rule-match.js';

const rule = (match: RuleInput['match']) => compileRule(RuleSchema.parse({ id: 'r', match, action: { delay: { ms: 1 } } }));
const req = (url: string, method = 'GET', headers: Record<string, string> = {}) => ({ url, method, headers }) as unknown as IncomingMessage;

describe('rule match', () => {
  it('a host matches exactly; a wildcard matches subdomains at any depth, not the bare name', () => {
    expect(rule({ host: 'Shop.localhost' }).matches(req('/'), 'shop.localhost')).toBe(true);
    expect(rule({ host: 'shop.localhost' }).matches(req('/'), 'api.shop.localhost')).toBe(false);
    const wild = rule({ host: '*.shop.localhost' });
    expect(wild.matches(req('/'), 'a.b.shop.localhost')).toBe(true);
    expect(wild.matches(req('/'), 'shop.localhost')).toBe(false);
    expect(wild.matches(req('/'), 'evilshop.localhost')).toBe(false);
  });

  it('a path prefix holds on segment boundaries, with or without a trailing slash, query ignored', () => {
    for (const prefix of ['/api/cart', '/api/cart/']) {
      const r = rule({ pathPrefix: prefix });
      expect(['/api/cart', '/api/cart/1', '/api/cart?x=1'].map((u) => r.matches(req(u), 'h'))).toEqual([true, true, true]);
      expect(['/api/cartx', '/api', '/'].map((u) => r.matches(req(u), 'h'))).toEqual([false, false, false]);
    }
  });

  it('a regex is tested on path and query; method, header and query values must all hold', () => {
    expect(rule({ pathRegex: 'page=2$' }).matches(req('/list?page=2'), 'h')).toBe(true);
    const r = rule({ method: 'post', header: { name: 'X-Mode', value: 'test' }, query: { name: 'debug' } });
    expect(r.matches(req('/?debug', 'POST', { 'x-mode': 'test' }), 'h')).toBe(true);
    expect(r.matches(req('/?debug', 'GET', { 'x-mode': 'test' }), 'h')).toBe(false);
    expect(r.matches(req('/?debug', 'POST', { 'x-mode': 'live' }), 'h')).toBe(false);
    expect(r.matches(req('/?other', 'POST', { 'x-mode': 'test' }), 'h')).toBe(false);
  });

  it('knows which routes a rule could apply to, so other routes carry no rule stage', () => {
    expect(rule({}).mayMatchRoute('any.localhost')).toBe(true);
    expect(rule({ host: 'shop.localhost' }).mayMatchRoute('shop.localhost')).toBe(true);
    expect(rule({ host: 'shop.localhost' }).mayMatchRoute('blog.localhost')).toBe(false);
    expect(rule({ host: 'a.shop.localhost' }).mayMatchRoute('*.shop.localhost')).toBe(true);
    expect(rule({ host: '*.shop.localhost' }).mayMatchRoute('a.shop.localhost')).toBe(true);
    expect(rule({ host: '*.shop.localhost' }).mayMatchRoute('*.shop.localhost')).toBe(true);
    expect(rule({ host: '*.shop.localhost' }).mayMatchRoute('*.a.shop.localhost')).toBe(true);
  });
});
