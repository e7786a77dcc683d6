// The CA's scope in the contract: which route hosts it may vouch for, the message for the
// ones it may not, and how configured suffixes are normalised.
import { describe, expect, it } from 'vitest';
import { CaSchema, ConfigSchema, DEFAULT_SUFFIXES, outsideSuffixesMessage, withinSuffixes } from '../../proxy-core/contract/index.js';

describe('withinSuffixes', () => {
  const defaults = [...DEFAULT_SUFFIXES];

  it.each([
    ['localhost', true],
    ['shop.localhost', true],
    ['a.b.c.localhost', true],
    ['test', true],
    ['api.test', true],
    ['*.shop.localhost', true],
    ['*.localhost', true],
    ['*.test', true],
    // A suffix matches whole labels only.
    ['localhost.com', false],
    ['evil.localhost.com', false],
    ['evillocalhost', false],
    ['mytest', false],
    ['api.testing', false],
    ['test.com', false],
    ['*.com', false],
    ['shop.dev', false],
    ['bank.com', false],
  ])('%s → %s with the default suffixes', (host, expected) => {
    expect(withinSuffixes(host, defaults)).toBe(expected);
  });

  it('treats 127.0.0.0/8 as always in scope (the root permits it), and no other address', () => {
    for (const ip of ['127.0.0.1', '127.0.0.2', '127.255.255.254']) expect(withinSuffixes(ip, ['internal'])).toBe(true);
    for (const ip of ['10.0.0.1', '192.168.1.5', '128.0.0.1', '0.0.0.0', '1.127.0.0']) expect(withinSuffixes(ip, defaults)).toBe(false);
  });

  it('honours multi-label and added suffixes', () => {
    expect(withinSuffixes('app.corp.example', ['corp.example'])).toBe(true);
    expect(withinSuffixes('corp.example', ['corp.example'])).toBe(true);
    expect(withinSuffixes('xcorp.example', ['corp.example'])).toBe(false);
    expect(withinSuffixes('example', ['corp.example'])).toBe(false);
    expect(withinSuffixes('api.corp.internal', ['test', 'internal'])).toBe(true);
    expect(withinSuffixes('shop.localhost', ['test'])).toBe(false);
  });
});

describe('outsideSuffixesMessage', () => {
  it('names the host and the suffix to add', () => {
    expect(outsideSuffixesMessage('api.corp.internal')).toBe('api.corp.internal is outside Portico\'s CA: add "internal" to ca.suffixes');
    expect(outsideSuffixesMessage('*.corp.internal')).toBe('*.corp.internal is outside Portico\'s CA: add "internal" to ca.suffixes');
  });

  it.each(['dev', 'app', 'page', 'foo'])('warns that .%s is HSTS-preloaded', (tld) => {
    const message = outsideSuffixesMessage(`shop.${tld}`);
    expect(message).toContain(`add "${tld}" to ca.suffixes`);
    expect(message).toContain(`.${tld} is HSTS-preloaded`);
  });

  it('does not warn about HSTS for TLDs that are not preloaded', () => {
    expect(outsideSuffixesMessage('shop.internal')).not.toContain('HSTS');
    expect(outsideSuffixesMessage('shop.example')).not.toContain('HSTS');
  });
});

describe('CaSchema', () => {
  it('defaults to localhost and test', () => {
    expect(CaSchema.parse({})).toEqual({ suffixes: ['localhost', 'test'] });
    expect(ConfigSchema.parse({}).ca).toEqual({ suffixes: ['localhost', 'test'] });
  });

  it('normalises suffixes: trimmed, lower-cased, without a leading "*." or "."', () => {
    expect(CaSchema.parse({ suffixes: [' Test ', '*.Internal', '.corp.example'] }).suffixes).toEqual(['test', 'internal', 'corp.example']);
  });

  it.each([[[]], [['']], [['bad suffix']], [['-x']], [['a..b']], [['shop.localhost:8080']]])('refuses suffixes %j', (suffixes) => {
    expect(CaSchema.safeParse({ suffixes }).success).toBe(false);
  });

  it('refuses a route outside the suffixes and accepts it once its suffix is added', () => {
    const routes = [{ host: 'shop.internal', target: 'http://127.0.0.1:3000' }];
    const refused = ConfigSchema.safeParse({ routes });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['routes', 0, 'host'], message: outsideSuffixesMessage('shop.internal') },
    ]);
    expect(ConfigSchema.parse({ ca: { suffixes: ['localhost', 'internal'] }, routes }).routes[0]!.host).toBe('shop.internal');
  });
});
