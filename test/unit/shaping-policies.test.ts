// The decision logic of the shaping options, as tables: path rewrites and the Location
// mapped back, redirect targets, header rules, throttle plans, and the schema's messages.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, RewriteSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { headerRulesPolicy } from '../../proxy-core/engine/policies/header-rules.js';
import { redirectLocation } from '../../proxy-core/engine/policies/redirect.js';
import { throttlePlan } from '../../proxy-core/engine/throttle/throttle.js';
import { compileRewrite, restoreLocation, rewritePath } from '../../proxy-core/engine/policies/path-rewrite.js';

describe('rewritePath', () => {
  const cases: [string, Parameters<typeof compileRewrite>[0], string, string][] = [
    ['strip', { stripPrefix: '/api' }, '/api/users?id=1', '/users?id=1'],
    ['strip the whole path', { stripPrefix: '/api' }, '/api', '/'],
    ['strip only whole segments', { stripPrefix: '/api' }, '/apix/users', '/apix/users'],
    ['add', { addPrefix: '/v1' }, '/users?x', '/v1/users?x'],
    ['add to the root', { addPrefix: '/v1' }, '/', '/v1'],
    ['strip then add', { stripPrefix: '/api', addPrefix: '/v2' }, '/api/users', '/v2/users'],
    ['regex with groups', { regex: [{ match: '^/old/(.*)', replace: '/new/$1' }] }, '/old/a/b?q=/old/', '/new/a/b?q=/old/'],
    [
      'first matching rule only',
      {
        regex: [
          { match: '^/a', replace: '/b' },
          { match: '^/b', replace: '/c' },
        ],
      },
      '/a',
      '/b',
    ],
    ['regex result made absolute', { regex: [{ match: '^/x/', replace: '' }] }, '/x/y', '/y'],
    ['no rule fits', { regex: [{ match: '^/old/', replace: '/new/' }] }, '/other', '/other'],
  ];
  it.each(cases)('%s', (_name, rewrite, url, expected) => {
    expect(rewritePath(url, compileRewrite(RewriteSchema.parse(rewrite)))).toBe(expected);
  });
});

describe('restoreLocation', () => {
  const cases: [string, { stripPrefix?: string; addPrefix?: string }, string, string][] = [
    ['stripped prefix put back', { stripPrefix: '/api' }, '/login?next=/', '/api/login?next=/'],
    ['added prefix taken off', { addPrefix: '/v1' }, '/v1/users', '/users'],
    ['both', { stripPrefix: '/api', addPrefix: '/v1' }, '/v1/users', '/api/users'],
    ['outside the added prefix: left alone', { addPrefix: '/v1' }, '/static/a.css', '/static/a.css'],
    ['absolute URL: left alone', { stripPrefix: '/api' }, 'http://127.0.0.1:3000/login', 'http://127.0.0.1:3000/login'],
    ['protocol-relative: left alone', { stripPrefix: '/api' }, '//cdn.localhost/x', '//cdn.localhost/x'],
  ];
  it.each(cases)('%s', (_name, rewrite, location, expected) => {
    expect(restoreLocation(location, compileRewrite(rewrite))).toBe(expected);
  });
});

describe('redirectLocation', () => {
  const cases: [string, { to: string; keepPath: boolean }, string, string, string][] = [
    ['fixed target', { to: 'https://new.localhost/', keepPath: false }, '', '/a/b?c', 'https://new.localhost/'],
    ['keep path and query', { to: 'https://new.localhost/', keepPath: true }, '', '/a/b?c', 'https://new.localhost/a/b?c'],
    ['keep what follows the prefix', { to: 'https://new.localhost/v2', keepPath: true }, '/old', '/old/x?y', 'https://new.localhost/v2/x?y'],
    ['the prefix itself', { to: 'https://new.localhost/v2', keepPath: true }, '/old', '/old', 'https://new.localhost/v2'],
    ['query right after the prefix', { to: '/', keepPath: true }, '/old', '/old?x=1', '/?x=1'],
  ];
  it.each(cases)('%s', (_name, redirect, prefix, url, expected) => {
    expect(redirectLocation({ status: 302, ...redirect }, prefix, url)).toBe(expected);
  });
});

describe('header rules', () => {
  it('hides the backend and removes, sets, then adds response headers, in place', () => {
    const policy = headerRulesPolicy({
      hideBackend: true,
      response: { remove: ['x-debug'], set: { 'x-frame-options': 'DENY' }, add: { vary: 'Cookie', 'set-cookie': 'b=2' } },
    })!;
    const headers: IncomingHttpHeaders = {
      server: 'Express',
      'x-powered-by': 'PHP',
      'x-debug': '1',
      'x-frame-options': 'SAMEORIGIN',
      vary: 'Accept',
      'set-cookie': ['a=1'],
      etag: '"1"',
    };
    const same = headers;
    policy.responseHead!({} as never, headers, 200);
    expect(same).toEqual({ 'x-frame-options': 'DENY', vary: 'Accept, Cookie', 'set-cookie': ['a=1', 'b=2'], etag: '"1"' });
  });

  it('builds a new request header object when it removes one', () => {
    const policy = headerRulesPolicy({ hideBackend: false, request: { remove: ['cookie'], set: { 'x-env': 'dev' } } })!;
    const req = { headers: { host: 'a.localhost', cookie: 'secret=1' } } as never as { headers: IncomingHttpHeaders };
    const before = req.headers;
    expect(policy.request!({ req, kind: 'http', tap: undefined } as never)).toBeUndefined();
    expect(req.headers).toEqual({ host: 'a.localhost', 'x-env': 'dev' });
    expect(before.cookie).toBe('secret=1');
  });

  it('is no stage at all when there is nothing to do', () => {
    expect(headerRulesPolicy({ hideBackend: false })).toBeUndefined();
  });
});

describe('throttlePlan', () => {
  it.each([
    [false, undefined],
    [{ latencyMs: 0 }, undefined],
    ['slow-3g', { label: 'slow-3g (2000 ms, ↓400 ↑400 kbit/s)', latencyMs: 2000, downBytes: 50_000, upBytes: 50_000 }],
    ['fast-3g', { label: 'fast-3g (562.5 ms, ↓1440 ↑675 kbit/s)', latencyMs: 562.5, downBytes: 180_000, upBytes: 84_375 }],
    [
      { latencyMs: 0, downKbps: 1000 },
      { label: '0 ms, ↓1000 kbit/s', latencyMs: 0, downBytes: 125_000, upBytes: undefined },
    ],
    [{ latencyMs: 300 }, { label: '300 ms', latencyMs: 300, downBytes: undefined, upBytes: undefined }],
  ] as const)('%j', (setting, expected) => {
    expect(throttlePlan(setting)).toEqual(expected);
  });
});

describe('schema messages', () => {
  const issues = (route: Partial<RouteInput>) => {
    const result = ConfigSchema.safeParse({ routes: [{ host: 'a.localhost', ...route }] });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const T = 'http://127.0.0.1:3000';
  it.each([
    [{ target: T, throttle: 'slow-4g' }, 'routes.0.throttle: must be false, "slow-3g", "fast-3g" or { "latencyMs": N, "downKbps": N, "upKbps": N }'],
    [{ target: T, throttle: { downKbps: 0 } }, 'routes.0.throttle.downKbps: must be more than 0 kbit/s (leave it out for no limit)'],
    [
      { target: T, rewrite: { regex: [{ match: '(', replace: '/' }] } },
      'routes.0.rewrite.regex.0.match: is not a valid regular expression (/(/: Unterminated group)',
    ],
    [{ target: T, rewrite: { stripPrefix: 'api' } }, 'routes.0.rewrite.stripPrefix: must start with "/" and contain no spaces, "?" or "#" (e.g. "/api")'],
    [
      { target: T, headers: { response: { remove: ['Content-Length'] } } },
      'routes.0.headers.response.remove.0: cannot be changed by a rule: "content-length" frames the message, and Portico sets it',
    ],
    [{ target: T, headers: { request: { set: { 'x-a': 'one\ntwo' } } } }, 'routes.0.headers.request.set.x-a: must be one line (no line breaks)'],
    [{ redirect: { to: 'new.localhost' } }, 'routes.0.redirect.to: must be an http:// or https:// URL, or a path starting with "/"'],
    [{ redirect: { to: '/x', status: 303 } }, 'routes.0.redirect.status: must be 301, 302, 307 or 308'],
    [{ target: T, redirect: { to: '/x' } }, 'routes.0.redirect: cannot be used together with "target": a route either redirects or proxies'],
    [{}, 'routes.0.target: is required: give "target" (a URL), "targets" (a list of URLs) or "redirect"'],
  ] as [Partial<RouteInput>, string][])('%j', (route, message) => {
    expect(issues(route)).toEqual([message]);
  });

  it('accepts the documented shapes', () => {
    expect(
      issues({
        target: T,
        throttle: { latencyMs: 100, downKbps: 1000, upKbps: 500 },
        headers: { hideBackend: true, request: { set: { 'X-Env': 'dev' }, add: {}, remove: ['cookie'] }, response: { remove: ['x-debug'] } },
        rewrite: { stripPrefix: '/api/', addPrefix: '/v1', regex: [{ match: '^/old/(.*)', replace: '/new/$1' }] },
      }),
    ).toEqual([]);
    expect(issues({ redirect: { to: 'https://new.localhost', status: 308, keepPath: true } })).toEqual([]);
  });
});
