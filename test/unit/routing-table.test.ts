import { afterAll, describe, expect, it } from 'vitest';
import { RouteSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { compileRoutingTable } from '../../proxy-core/engine/routing-table.js';
import { UpstreamPool } from '../../proxy-core/engine/upstream/pool.js';

const pool = new UpstreamPool();
afterAll(() => pool.destroy());

// Each route's target names it, so a match can be read back as a name.
function table(routes: (RouteInput & { name: string })[]) {
  return compileRoutingTable(
    routes.map(({ name, ...r }) => RouteSchema.parse({ ...r, target: `http://${name}.invalid:1` })),
    pool,
  );
}
const nameOf = (t: ReturnType<typeof table>, host: string, path: string) => t.match(host, path)?.pick().url.hostname.replace('.invalid', '') ?? null;

describe('routing table', () => {
  const t = table([
    { name: 'shop', host: 'shop.localhost' },
    { name: 'shop-api', host: 'shop.localhost', pathPrefix: '/api' },
    { name: 'shop-api-v2', host: 'shop.localhost', pathPrefix: '/api/v2' },
    { name: 'any-shop', host: '*.shop.localhost' },
    { name: 'any-shop-api', host: '*.shop.localhost', pathPrefix: '/api' },
    { name: 'deep-admin', host: '*.admin.shop.localhost' },
    { name: 'only-docs', host: 'docs.localhost', pathPrefix: '/docs' },
    { name: 'any-local', host: '*.localhost' },
    { name: 'off', host: 'off.localhost', enabled: false },
  ]);

  it.each([
    ['shop.localhost', '/', 'shop'],
    ['shop.localhost', '/cart?x=1', 'shop'],
    ['shop.localhost', '/api', 'shop-api'],
    ['shop.localhost', '/api/', 'shop-api'],
    ['shop.localhost', '/api?q=1', 'shop-api'],
    ['shop.localhost', '/apix', 'shop'], // segment boundary, not a string prefix
    ['shop.localhost', '/api/v2/items', 'shop-api-v2'], // longest prefix wins
    ['shop.localhost', '/api/v20', 'shop-api'],
    ['eu.shop.localhost', '/', 'any-shop'],
    ['eu.shop.localhost', '/api/x', 'any-shop-api'],
    ['a.b.shop.localhost', '/', 'any-shop'], // wildcards cover any depth
    ['x.admin.shop.localhost', '/', 'deep-admin'], // the longer wildcard suffix is more specific
    ['x.admin.shop.localhost', '/api', 'deep-admin'], // host specificity beats path length
    ['docs.localhost', '/docs/intro', 'only-docs'],
    ['docs.localhost', '/', 'any-local'], // exact host has no matching prefix: next candidate
    ['other.localhost', '/', 'any-local'],
    ['off.localhost', '/', 'any-local'], // disabled routes are skipped
    ['localhost', '/', null], // "*.localhost" does not cover the bare name
    ['shop.test', '/', null],
  ])('%s%s → %s', (host, path, expected) => {
    expect(nameOf(t, host, path)).toBe(expected);
  });

  it('lists enabled host patterns once, in config order', () => {
    expect(t.hosts).toEqual(['shop.localhost', '*.shop.localhost', '*.admin.shop.localhost', 'docs.localhost', '*.localhost']);
  });

  it('among identical host and prefix, the first route in the config wins', () => {
    const dup = table([
      { name: 'first', host: 'a.localhost', pathPrefix: '/x' },
      { name: 'second', host: 'a.localhost', pathPrefix: '/x/' },
    ]);
    expect(nameOf(dup, 'a.localhost', '/x/1')).toBe('first');
  });

  it('round-robins over several targets', () => {
    const multi = compileRoutingTable(
      [RouteSchema.parse({ host: 'm.localhost', targets: ['http://a.invalid:1', 'http://b.invalid:1', 'http://c.invalid:1'] })],
      pool,
    );
    const match = multi.match('m.localhost', '/')!;
    const picks = Array.from({ length: 6 }, () => match.pick().url.hostname);
    expect(picks).toEqual(['a.invalid', 'b.invalid', 'c.invalid', 'a.invalid', 'b.invalid', 'c.invalid']);
  });

  it('shares one upstream (and its keep-alive agent) between routes and across recompiles', () => {
    const route = RouteSchema.parse({ host: 's.localhost', target: 'http://shared.invalid:9' });
    const first = compileRoutingTable([route], pool).match('s.localhost', '/')!.pick();
    const again = compileRoutingTable([{ ...route, host: 't.localhost' }], pool)
      .match('t.localhost', '/')!
      .pick();
    expect(again.agent).toBe(first.agent);
  });
});
