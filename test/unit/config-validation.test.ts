// Config validation: every bad config gets a message naming the field and the value as
// written; good configs come out normalised. The messages are the product here, so the
// table pins them exactly.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseConfigText } from '../../proxy-core/config/index.js';
import { ConfigSchema, RouteSchema } from '../../proxy-core/contract/index.js';

const SOURCE = '/home/dev/.local/share/Portico/config.json';
// The lists the unknown-field messages offer: every field of the schema, in its order.
const ROUTE_FIELDS = Object.keys(RouteSchema.shape).join(', ');
const TOP_FIELDS = Object.keys(ConfigSchema.shape).join(', ');
const OK_TARGET = 'http://127.0.0.1:3000';

/** A typical config (an exact host; a wildcard with a prefix and two targets): it must always load. */
const EXAMPLE = {
  http: { port: 80 },
  https: { port: 443 },
  routes: [
    { host: 'shop.localhost', target: 'http://127.0.0.1:3000' },
    { host: '*.shop.localhost', pathPrefix: '/api', targets: ['http://127.0.0.1:4000', 'http://127.0.0.1:4001'] },
  ],
};

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.source).toBe(SOURCE);
    // The message is the heading plus the issues, one per line.
    expect(error.message).toBe([`Invalid config in ${SOURCE}:`, ...error.issues.map((l) => `  ${l}`)].join('\n'));
    return error.issues;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

const route = (fields: Record<string, unknown>) => ({ routes: [{ host: 'shop.localhost', target: OK_TARGET, ...fields }] });

const BAD_CONFIGS: [string, unknown, string[]][] = [
  [
    'host with a scheme',
    route({ host: 'http://Shop.localhost' }),
    ['routes[0].host: must be a bare host name without a scheme: write "shop.localhost" (got "http://Shop.localhost")'],
  ],
  [
    'host with a port',
    route({ host: 'shop.localhost:3000' }),
    [
      'routes[0].host: must be a bare host name without a port (a route matches its host on every port; the backend port goes in "target"): write "shop.localhost" (got "shop.localhost:3000")',
    ],
  ],
  [
    'host pasted as a whole URL',
    route({ host: 'https://shop.localhost:8443/app' }),
    [
      'routes[0].host: must be a bare host name without a scheme, a port or a path (a route matches its host on every port; the backend port goes in "target"): write "shop.localhost" (got "https://shop.localhost:8443/app")',
    ],
  ],
  [
    'wildcard not in the first label',
    route({ host: 'api.*.localhost' }),
    ['routes[0].host: may only use "*" as the whole first label, like "*.shop.localhost" (got "api.*.localhost")'],
  ],
  [
    'host with characters DNS does not allow',
    route({ host: 'my_shop.localhost' }),
    [
      'routes[0].host: must be a host name like "shop.localhost" or a wildcard like "*.shop.localhost" (letters, digits, "-" and ".") (got "my_shop.localhost")',
    ],
  ],
  ['empty host', route({ host: '  ' }), ['routes[0].host: must not be empty: give a host name like "shop.localhost" (got "  ")']],
  [
    'target with a non-http scheme',
    route({ target: 'ftp://x' }),
    ['routes[0].target: must be an http:// or https:// URL such as "http://127.0.0.1:3000" (got "ftp://x")'],
  ],
  [
    'target without a scheme',
    route({ target: 'localhost:5173' }),
    ['routes[0].target: must be an http:// or https:// URL such as "http://127.0.0.1:3000": write "http://localhost:5173" (got "localhost:5173")'],
  ],
  [
    'target with credentials',
    route({ target: 'http://admin:secret@127.0.0.1:3000' }),
    ['routes[0].target: must not contain a user name or password (got "http://admin:secret@127.0.0.1:3000")'],
  ],
  [
    'one bad URL among targets',
    { routes: [{ host: 'shop.localhost', targets: [OK_TARGET, 'ws://127.0.0.1:4001'] }] },
    ['routes[0].targets[1]: must be an http:// or https:// URL such as "http://127.0.0.1:3000" (got "ws://127.0.0.1:4001")'],
  ],
  [
    'both target and targets',
    route({ targets: ['http://127.0.0.1:4000'] }),
    ['routes[0].targets: cannot be used together with "target": keep "target" for one URL or "targets" for several (got ["http://127.0.0.1:4000"])'],
  ],
  [
    'neither target nor targets',
    { routes: [{ host: 'shop.localhost', target: OK_TARGET }, { host: 'api.localhost' }] },
    ['routes[1].target: is required: give "target" (a URL), "targets" (a list of URLs) or "redirect"'],
  ],
  ['empty targets', { routes: [{ host: 'shop.localhost', targets: [] }] }, ['routes[0].targets: needs at least one URL (got [])']],
  ['port out of range', { http: { port: 70000 } }, ['http.port: must be a whole number from 0 to 65535 (0 picks a free port) (got 70000)']],
  ['fractional port', { https: { port: 443.5 } }, ['https.port: must be a whole number from 0 to 65535 (0 picks a free port) (got 443.5)']],
  ['port as a string', { http: { port: '8080' } }, ['http.port: must be a number (got "8080")']],
  ['listener without a port', { http: { host: '127.0.0.1' } }, ['http.port: is required']],
  ['zero timeout', { timeouts: { connectMs: 0 } }, ['timeouts.connectMs: must be greater than 0 (got 0)']],
  [
    'path prefix without a leading slash',
    route({ pathPrefix: 'api' }),
    ['routes[0].pathPrefix: must start with "/" and contain no spaces, "?" or "#" (e.g. "/api") (got "api")'],
  ],
  ['enabled as a string', route({ enabled: 'yes' }), ['routes[0].enabled: must be true or false (got "yes")']],
  ['routes as an object', { routes: { host: 'shop.localhost' } }, ['routes: must be a list ([...]) (got {"host":"shop.localhost"})']],
  ['not an object at all', [EXAMPLE], ['(top level): must be an object ({...})']],
  [
    'unknown key, with a near miss',
    route({ taget: OK_TARGET }),
    [`routes[0].taget: unknown field (did you mean "target"? known fields here: ${ROUTE_FIELDS})`],
  ],
  [
    'unknown top-level keys',
    { port: 80, Routes: [] },
    [`port: unknown field (known fields here: ${TOP_FIELDS})`, `Routes: unknown field (did you mean "routes"? known fields here: ${TOP_FIELDS})`],
  ],
  [
    'several problems at once, each on its own line',
    {
      http: { port: -1 },
      routes: [
        { host: 'shop.localhost:80', target: OK_TARGET },
        { host: 'a.localhost', target: 'nope' },
      ],
    },
    [
      'http.port: must be a whole number from 0 to 65535 (0 picks a free port) (got -1)',
      'routes[0].host: must be a bare host name without a port (a route matches its host on every port; the backend port goes in "target"): write "shop.localhost" (got "shop.localhost:80")',
      'routes[1].target: must be an http:// or https:// URL such as "http://127.0.0.1:3000" (got "nope")',
    ],
  ],
  [
    'two enabled routes for the same host and prefix',
    {
      routes: [
        { host: 'shop.localhost', pathPrefix: '/api', target: OK_TARGET },
        { host: 'Shop.localhost', pathPrefix: '/api/', target: 'http://127.0.0.1:4000' },
      ],
    },
    [
      'routes[1].host: repeats the host and path prefix of routes[0] ("shop.localhost/api"): merge their targets into one route or disable one (got "Shop.localhost")',
    ],
  ],
  [
    'a host outside the CA suffixes, with the HSTS note for .dev',
    {
      routes: [
        { host: 'shop.dev', target: OK_TARGET },
        { host: '*.corp.internal', target: OK_TARGET },
      ],
    },
    [
      'routes[0].host: shop.dev is outside Portico\'s CA: add "dev" to ca.suffixes — note .dev is HSTS-preloaded: browsers will only ever open it over HTTPS (got "shop.dev")',
      'routes[1].host: *.corp.internal is outside Portico\'s CA: add "internal" to ca.suffixes (got "*.corp.internal")',
    ],
  ],
];

describe('parseConfig rejects bad configs, naming the field and the value', () => {
  it.each(BAD_CONFIGS)('%s', (_name, raw, expected) => {
    expect(problems(() => parseConfig(raw, SOURCE))).toEqual(expected);
  });

  it('formats the whole message as one block', () => {
    expect(() => parseConfig(route({ target: 'ftp://x' }), SOURCE)).toThrow(
      `Invalid config in ${SOURCE}:\n  routes[0].target: must be an http:// or https:// URL such as "http://127.0.0.1:3000" (got "ftp://x")`,
    );
  });
});

const BAD_JSON: [string, string, string][] = [
  ['trailing comma', '{\n  "http": { "port": 80 },\n}\n', 'line 2, column 25: not valid JSON: trailing comma: remove the "," before "}"'],
  ['missing comma between properties', '{\n  "http": { "port": 80 }\n  "routes": []\n}', 'line 3, column 3: not valid JSON: missing "," before this property'],
  ['a comment', '{\n  // my routes\n  "routes": []\n}', 'line 2, column 3: not valid JSON: comments are not allowed in JSON'],
  ['unquoted key', '{ routes: [] }', 'line 1, column 3: not valid JSON: property names need double quotes, e.g. "host"'],
  [
    'single-quoted string',
    '{ "routes": [ { "host": \'shop.localhost\' } ] }',
    'line 1, column 25: not valid JSON: strings need double quotes (") in JSON, not single quotes',
  ],
  ['cut off', '{ "routes": [', 'line 1, column 14: not valid JSON: expected a value, found the end of the file'],
  ['empty file', '', 'line 1, column 1: not valid JSON: the file is empty: write {} for the defaults'],
  ['misspelt literal', '{ "http": { "port": 80 }, "x": tru }', 'line 1, column 32: not valid JSON: "tru" is not a JSON value: did you mean true?'],
];

describe('parseConfigText reports JSON syntax errors with line and column', () => {
  it.each(BAD_JSON)('%s', (_name, text, expected) => {
    expect(problems(() => parseConfigText(text, SOURCE))).toEqual([expected]);
  });

  it('checks the schema once the JSON parses', () => {
    expect(problems(() => parseConfigText('{ "http": { "port": 70000 } }', SOURCE))).toEqual([
      'http.port: must be a whole number from 0 to 65535 (0 picks a free port) (got 70000)',
    ]);
  });

  it('accepts a byte-order mark, as Windows editors write it', () => {
    expect(parseConfigText('\uFEFF{ "routes": [] }', SOURCE).routes).toEqual([]);
  });
});

describe('parseConfig accepts good configs and normalises them', () => {
  it('loads the example config, filling in defaults', () => {
    expect(parseConfig(EXAMPLE, SOURCE)).toEqual({
      http: { port: 80, host: '127.0.0.1' },
      https: { port: 443, host: '127.0.0.1' },
      timeouts: { connectMs: 5_000, responseMs: 120_000 },
      ca: { suffixes: ['localhost', 'test'] },
      capture: { enabled: true, maxExchanges: 50_000, maxBytes: 256 * 1024 * 1024, bodyLimit: 1024 * 1024, wsMessageLimit: 1_000, ignore: [] },
      defaults: { compression: false, cache: false, throttle: false },
      cacheStore: { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 },
      firewall: { maxHeaderBytes: 16 * 1024, headersTimeoutMs: 60_000, requestTimeoutMs: 300_000 },
      lan: { enabled: false, address: 'auto', port: 8700 },
      routes: [
        { host: 'shop.localhost', target: 'http://127.0.0.1:3000', enabled: true, https: 'both', changeOrigin: false },
        {
          host: '*.shop.localhost',
          pathPrefix: '/api',
          targets: ['http://127.0.0.1:4000', 'http://127.0.0.1:4001'],
          enabled: true,
          https: 'both',
          changeOrigin: false,
        },
      ],
      rules: [],
    });
  });

  it('an empty object is the defaults', () => {
    expect(parseConfig({}, SOURCE)).toEqual(ConfigSchema.parse({}));
  });

  it.each([
    ['Shop.LocalHost', 'shop.localhost'],
    ['  *.API.Shop.localhost ', '*.api.shop.localhost'],
    ['shop.localhost.', 'shop.localhost'],
    ['127.0.0.1', '127.0.0.1'],
  ])('host %j becomes %j', (host, expected) => {
    expect(parseConfig(route({ host }), SOURCE).routes[0]?.host).toBe(expected);
  });

  it.each([
    ['/api/', '/api'],
    ['/api//', '/api'],
    ['/', '/'],
    ['/v1/api', '/v1/api'],
  ])('path prefix %j becomes %j', (pathPrefix, expected) => {
    expect(parseConfig(route({ pathPrefix }), SOURCE).routes[0]?.pathPrefix).toBe(expected);
  });

  it('accepts hosts under added suffixes and loopback addresses', () => {
    const config = parseConfig(
      {
        ca: { suffixes: ['test', 'Internal'] },
        routes: [
          { host: 'api.corp.internal', target: OK_TARGET },
          { host: '127.0.0.2', target: OK_TARGET },
        ],
      },
      SOURCE,
    );
    expect(config.ca.suffixes).toEqual(['test', 'internal']);
    expect(config.routes.map((r) => r.host)).toEqual(['api.corp.internal', '127.0.0.2']);
  });

  it('allows a disabled twin of a route (a switch between two backends)', () => {
    const config = parseConfig(
      {
        routes: [
          { host: 'a.localhost', target: OK_TARGET },
          { host: 'a.localhost', target: 'http://127.0.0.1:4000', enabled: false },
        ],
      },
      SOURCE,
    );
    expect(config.routes).toHaveLength(2);
  });

  it('keeps a $schema key for editors', () => {
    expect(parseConfig({ $schema: './config.schema.json' }, SOURCE).$schema).toBe('./config.schema.json');
  });
});
