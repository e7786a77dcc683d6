// Routing: which backend answers for a host + path, on a real engine and real named backends.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../proxy-core/engine/index.js';
import type { RouteInput } from '../../proxy-core/contract/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { CountingAgent, request } from '../helpers/request.js';

// One backend per route, each answering with its own name.
const ROUTES: (Omit<RouteInput, 'target' | 'targets'> & { name: string })[] = [
  { name: 'shop', host: 'shop.localhost' },
  { name: 'shop-api', host: 'shop.localhost', pathPrefix: '/api' },
  { name: 'shop-api-v2', host: 'shop.localhost', pathPrefix: '/api/v2/' }, // trailing slash: same as /api/v2
  { name: 'wild-shop', host: '*.shop.localhost' },
  { name: 'wild-shop-api', host: '*.shop.localhost', pathPrefix: '/api' },
  { name: 'wild-eu', host: '*.eu.shop.localhost' },
  { name: 'admin-only', host: 'admin.shop.localhost', pathPrefix: '/admin' },
  { name: 'disabled-exact', host: 'disabled.shop.localhost', enabled: false },
  { name: 'gone', host: 'gone.localhost', enabled: false },
  { name: 'docs-root', host: 'Docs.LocalHost', pathPrefix: '/' }, // config host is case-insensitive too
  { name: 'docs-v1', host: 'docs.localhost', pathPrefix: '/v1' },
  { name: 'docs-v1-api', host: 'docs.localhost', pathPrefix: '/v1/api' },
  { name: 'only-prefix', host: 'only.localhost', pathPrefix: '/app' },
];

// [Host header, path, backend expected to answer (null = 404 from the engine)]
const MATRIX: [string, string, string | null][] = [
  // exact host, no prefix
  ['shop.localhost', '/', 'shop'],
  ['shop.localhost', '/cart/checkout?step=2', 'shop'],
  // case-insensitive host; port in Host ignored
  ['SHOP.LocalHost', '/', 'shop'],
  ['shop.localhost:1234', '/', 'shop'],
  ['Shop.Localhost:80', '/api', 'shop-api'],
  // path prefixes on segment boundaries
  ['shop.localhost', '/api', 'shop-api'],
  ['shop.localhost', '/api/', 'shop-api'],
  ['shop.localhost', '/api/orders/7', 'shop-api'],
  ['shop.localhost', '/api?q=1', 'shop-api'],
  ['shop.localhost', '/apix', 'shop'],
  ['shop.localhost', '/apix/y', 'shop'],
  ['shop.localhost', '/ap', 'shop'],
  // paths are case-sensitive (URL semantics, like nginx `location`)
  ['shop.localhost', '/API', 'shop'],
  // longest prefix wins; a configured trailing slash means the same prefix
  ['shop.localhost', '/api/v2', 'shop-api-v2'],
  ['shop.localhost', '/api/v2/items?x=1', 'shop-api-v2'],
  ['shop.localhost', '/api/v20', 'shop-api'],
  ['docs.localhost', '/', 'docs-root'],
  ['docs.localhost', '/v2', 'docs-root'],
  ['docs.localhost', '/v1', 'docs-v1'],
  ['docs.localhost', '/v1/guide', 'docs-v1'],
  ['docs.localhost', '/v1/api/ref', 'docs-v1-api'],
  ['docs.localhost', '/v1/apis', 'docs-v1'],
  ['DOCS.localhost', '/v1/api', 'docs-v1-api'],
  // wildcard: any depth of subdomain, not the bare name
  ['a.shop.localhost', '/', 'wild-shop'],
  ['a.b.c.shop.localhost', '/', 'wild-shop'],
  ['A.Shop.Localhost:8080', '/', 'wild-shop'],
  ['a.shop.localhost', '/api/x', 'wild-shop-api'],
  ['a.shop.localhost', '/apix', 'wild-shop'],
  // longer wildcard suffix beats shorter; the bare eu.shop.localhost is not *.eu.shop.localhost
  ['x.eu.shop.localhost', '/', 'wild-eu'],
  ['y.x.eu.shop.localhost', '/deep', 'wild-eu'],
  ['eu.shop.localhost', '/', 'wild-shop'],
  // host specificity comes before path: *.eu has no /api route but its catch-all still wins
  ['x.eu.shop.localhost', '/api', 'wild-eu'],
  // exact host whose only route's prefix does not match → next host candidate (the wildcard)
  ['admin.shop.localhost', '/admin', 'admin-only'],
  ['admin.shop.localhost', '/admin/users', 'admin-only'],
  ['admin.shop.localhost', '/', 'wild-shop'],
  ['admin.shop.localhost', '/administrator', 'wild-shop'],
  ['admin.shop.localhost', '/api', 'wild-shop-api'],
  // disabled routes are skipped (falling through to the wildcard, or to 404)
  ['disabled.shop.localhost', '/', 'wild-shop'],
  ['gone.localhost', '/', null],
  // no candidate at all
  ['only.localhost', '/app/x', 'only-prefix'],
  ['only.localhost', '/', null],
  ['only.localhost', '/application', null],
  ['xshop.localhost', '/', null],
  ['shop.localhost.evil.test', '/', null],
  ['localhost', '/', null],
  ['unknown.localhost', '/', null],
];

describe('engine routing', () => {
  const track = closeAfter('all');
  const backends = new Map<string, Backend>();
  let engine: Engine;

  beforeAll(async () => {
    for (const route of ROUTES) backends.set(route.name, track(await startBackend(route.name)));
    engine = track(await startTestEngine(ROUTES.map(({ name, ...route }) => ({ ...route, target: backends.get(name)?.url }))), closeEngine);
  });

  it.each(MATRIX)('Host %s, path %s → %s', async (host, path, expected) => {
    for (const backend of backends.values()) backend.reset();
    const reply = await request(engine.http.port, { host, path });
    if (expected === null) {
      expect(reply.status).toBe(404);
      for (const backend of backends.values()) expect(backend.requests, backend.name).toEqual([]);
      return;
    }
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: expected });
    const backend = backends.get(expected);
    // The path reaches the backend unchanged: prefix not stripped, query kept.
    expect(backend?.requests.map((r) => r.url)).toEqual([path]);
  });

  it('routes each request on a keep-alive client connection by its own Host', async () => {
    const agent = new CountingAgent();
    try {
      const answers: string[] = [];
      for (const host of ['shop.localhost', 'a.shop.localhost', 'shop.localhost', 'x.eu.shop.localhost']) {
        answers.push((await request(engine.http.port, { host, agent })).body);
      }
      expect(answers).toEqual(['shop', 'wild-shop', 'shop', 'wild-eu']);
      expect(agent.created).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
