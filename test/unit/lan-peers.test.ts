// LAN sharing's pure decisions: who is this machine, which address is the LAN, which port
// serves which shared host; and the config's words for a share that cannot work.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../proxy-core/config/index.js';
import { RouteSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { chooseLanAddress, isLoopbackAddress, lanPlan } from '../../proxy-core/engine/lan/lan-peers.js';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::FFFF:127.0.0.9', true],
    ['192.168.1.20', false],
    ['10.0.0.1', false],
    ['::ffff:192.168.1.20', false],
    ['fe80::1', false],
    ['::', false],
    ['0.0.0.0', false],
    ['1270.0.0.1', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;

describe('chooseLanAddress', () => {
  it.each([
    [
      'the first IPv4 address that is not internal',
      { lo: [nic('127.0.0.1', 'IPv4', true)], eth0: [nic('fe80::2', 'IPv6'), nic('192.168.1.20', 'IPv4')], wlan0: [nic('10.0.0.5', 'IPv4')] },
      '192.168.1.20',
    ],
    ['skipping link-local 169.254/16', { eth0: [nic('169.254.3.4', 'IPv4')], wlan0: [nic('10.0.0.5', 'IPv4')] }, '10.0.0.5'],
  ])('auto takes %s', (_why, interfaces, expected) => {
    expect(chooseLanAddress('auto', interfaces)).toEqual({ address: expected });
  });

  it('auto with no usable interface says so and how to fix it', () => {
    const result = chooseLanAddress('auto', { lo: [nic('127.0.0.1', 'IPv4', true)], eth0: [nic('fe80::2', 'IPv6')] });
    expect(result).toEqual({ error: expect.stringContaining('set settings.lan.address') });
  });

  it('an address the user chose is used as given (binding tells whether it is ours)', () => {
    expect(chooseLanAddress('192.168.7.7', {})).toEqual({ address: '192.168.7.7' });
  });
});

const routes = (list: RouteInput[]) => list.map((r) => RouteSchema.parse(r));
const T = 'http://127.0.0.1:3000';

describe('lanPlan', () => {
  it('gives each shared host one port, counting up in config order; routes of a host share it', () => {
    const plan = lanPlan(
      routes([
        { host: 'a.localhost', target: T },
        { host: 'shop.localhost', pathPrefix: '/api', target: T, share: true },
        { host: 'off.localhost', target: T, share: true, enabled: false },
        { host: 'blog.localhost', target: T, share: true },
        { host: 'shop.localhost', target: T, share: true },
        { host: 'shop.localhost', pathPrefix: '/admin', target: T, share: false },
      ]),
      8700,
    );
    expect(plan).toEqual([
      { host: 'shop.localhost', port: 8700, routes: ['shop.localhost/api', 'shop.localhost'], path: '/api' },
      { host: 'blog.localhost', port: 8701, routes: ['blog.localhost'], path: '/' },
    ]);
  });

  it('port 0 lets every host take a free port', () => {
    const plan = lanPlan(
      routes([
        { host: 'a.localhost', target: T, share: true },
        { host: 'b.localhost', target: T, share: true },
      ]),
      0,
    );
    expect(plan.map((entry) => entry.port)).toEqual([0, 0]);
  });

  it('nothing shared, nothing planned', () => {
    expect(lanPlan(routes([{ host: 'a.localhost', target: T }]), 8700)).toEqual([]);
  });
});

describe('config', () => {
  const issues = (raw: unknown) => {
    try {
      parseConfig(raw, '/tmp/config.json');
    } catch (error) {
      return (error as ConfigError).issues;
    }
    return [];
  };

  it('refuses to share a wildcard host, naming the fix', () => {
    expect(issues({ routes: [{ host: '*.shop.localhost', target: T, share: true }] })).toEqual([
      'routes[0].share: cannot be used with a wildcard host: a LAN port serves one host name, so share a route for one name such as "shop.localhost" (got true)',
    ]);
  });

  it('wants "auto" or an IP address for settings.lan.address', () => {
    expect(issues({ lan: { address: 'my-laptop' } })).toEqual([
      'lan.address: must be "auto" or an IP address of this machine, such as "192.168.1.20" (got "my-laptop")',
    ]);
    expect(issues({ lan: { enabled: true, address: 'fd00::20', port: 9000 } })).toEqual([]);
  });

  it('is off by default', () => {
    expect(parseConfig({}, '/tmp/config.json').lan).toEqual({ enabled: false, address: 'auto', port: 8700 });
  });
});
