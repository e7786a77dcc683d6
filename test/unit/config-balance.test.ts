// The balancing fields of the config: readable messages for bad values, defaults filled in.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../proxy-core/config/index.js';

const SOURCE = '/tmp/config.json';
const TARGETS = ['http://127.0.0.1:3000', 'http://127.0.0.1:3001'];

function problems(config: unknown): string[] {
  try {
    parseConfig(config, SOURCE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

const route = (fields: Record<string, unknown>) => ({ routes: [{ host: 'shop.localhost', targets: TARGETS, ...fields }] });

describe('balance and healthCheck', () => {
  it.each([
    ['an unknown policy', route({ balance: 'random' }), ['routes[0].balance: must be "round-robin", "least-connections" or "first-available" (got "random")']],
    [
      'an unknown default policy',
      { defaults: { balance: 'fastest' } },
      ['defaults.balance: must be "round-robin", "least-connections" or "first-available" (got "fastest")'],
    ],
    [
      'a check path without a slash',
      route({ healthCheck: { path: 'health' } }),
      ['routes[0].healthCheck.path: must start with "/" and contain no spaces (e.g. "/health") (got "health")'],
    ],
    ['a check with no path', route({ healthCheck: {} }), ['routes[0].healthCheck.path: is required']],
    [
      'a status class that is not one',
      route({ healthCheck: { path: '/h', expectStatus: '2XX' } }),
      ['routes[0].healthCheck.expectStatus: must be a status code such as 200 or a class such as "2xx" (got "2XX")'],
    ],
    [
      'a status out of range',
      route({ healthCheck: { path: '/h', expectStatus: 99 } }),
      ['routes[0].healthCheck.expectStatus: must be a status code such as 200 or a class such as "2xx" (got 99)'],
    ],
    [
      'a too eager interval',
      route({ healthCheck: { path: '/h', intervalMs: 10 } }),
      ['routes[0].healthCheck.intervalMs: must be at least 100 (milliseconds) (got 10)'],
    ],
  ])('%s', (_label, config, expected) => {
    expect(problems(config)).toEqual(expected);
  });

  it('fills in the check defaults and leaves balance unset (round-robin unless defaults say otherwise)', () => {
    const config = parseConfig(route({ healthCheck: { path: '/health' } }), SOURCE);
    expect(config.routes[0]).toMatchObject({ healthCheck: { path: '/health', intervalMs: 5_000, timeoutMs: 2_000, expectStatus: '2xx' } });
    expect(config.routes[0]?.balance).toBeUndefined();
    expect(config.defaults.balance).toBeUndefined();
    expect(parseConfig({ defaults: { balance: 'least-connections' } }, SOURCE).defaults).toMatchObject({
      compression: false,
      cache: false,
      balance: 'least-connections',
    });
  });
});
