// A compiled route carries the stages its switches turn on, in the one order of
// engine/stages.ts, grouped per hook; a route with no switch carries only what every
// proxied route has, and writes no response itself.
import { afterAll, describe, expect, it } from 'vitest';
import { RouteSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { HttpCache } from '../../proxy-core/engine/cache/http-cache.js';
import { compileRoutingTable } from '../../proxy-core/engine/routing-table.js';
import { UpstreamPool } from '../../proxy-core/engine/upstream/pool.js';

const pool = new UpstreamPool();
afterAll(() => pool.destroy());

function compiled(route: Omit<RouteInput, 'host' | 'target'>) {
  const table = compileRoutingTable([RouteSchema.parse({ host: 'a.localhost', target: 'http://127.0.0.1:1', ...route })], pool, undefined, {
    cache: new HttpCache(),
  });
  return table.match('a.localhost', '/')!.stages;
}
const names = (stages: readonly { name: string }[]) => stages.map((s) => s.name);

describe('stage order', () => {
  it('a route with every switch: request, response and body hooks in the order of stages.ts', () => {
    const stages = compiled({
      firewall: { allow: ['127.0.0.1'], rateLimit: { requestsPerSecond: 5 }, deny: ['/admin'], maxBodyBytes: 10 },
      rewrite: { stripPrefix: '/api' },
      headers: { hideBackend: true, request: { set: { 'x-a': '1' } } },
      throttle: { latencyMs: 10, downKbps: 100 },
      cache: true,
      compression: true,
    });
    expect(names(stages.request)).toEqual([
      'firewall: allow-list',
      'firewall: rate limit',
      'firewall: path deny',
      'firewall: body size',
      'rewrite',
      'header rules',
    ]);
    expect(names(stages.requestBody)).toEqual(['firewall: body size']);
    expect(names(stages.beforeForward)).toEqual(['throttle', 'cache']);
    expect(names(stages.responseHead)).toEqual(['rewrite', 'header rules', 'backend names']);
    expect(names(stages.response)).toEqual(['cache']);
    // Encode, then pace: the throttle meters the bytes that go on the wire.
    expect(names(stages.responseBody)).toEqual(['compression', 'throttle']);
    expect(names(stages.backendFailed)).toEqual(['cache']);
    expect(names(stages.upgrade)).toEqual(['throttle']);
    expect(stages.writesResponse).toBe(true);
  });

  it('a route with no switch: only the backend-name rewrite, and http-proxy-3 writes the response', () => {
    const stages = compiled({});
    expect(names(stages.all)).toEqual(['backend names']);
    expect(stages.request).toEqual([]);
    expect(stages.beforeForward).toEqual([]);
    expect(stages.writesResponse).toBe(false);
  });

  it('describes each stage in words', () => {
    const stages = compiled({ throttle: 'fast-3g', compression: { threshold: 10, encodings: ['gzip'] } });
    expect(stages.all.map((s) => [s.name, s.describe()])).toEqual([
      ['backend names', 'Location and cookie domains that name the backend are given the dev host'],
      ['compression', 'gzip from 10 bytes'],
      ['throttle', 'fast-3g (562.5 ms, ↓1440 ↑675 kbit/s)'],
    ]);
  });
});
