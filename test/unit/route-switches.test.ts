// The switches' rules the engine and the UI share (proxy-core/contract/switches.ts).
import { describe, expect, it } from 'vitest';
import { describeThrottle, effectiveSwitches, RouteDefaultsSchema } from '../../proxy-core/contract/index.js';

describe('effectiveSwitches', () => {
  const defaults = RouteDefaultsSchema.parse({
    compression: true,
    cache: { xCache: false },
    throttle: 'slow-3g',
    balance: 'least-connections',
    headers: { hideBackend: true },
  });

  it('takes the default for every switch a route leaves out', () => {
    expect(effectiveSwitches({}, defaults)).toEqual({ ...defaults, firewall: {} });
  });

  it("keeps a route's own value, false included", () => {
    const own = effectiveSwitches({ compression: false, cache: true, throttle: false, balance: 'first-available', headers: { hideBackend: false } }, defaults);
    expect(own).toEqual({ compression: false, cache: true, throttle: false, balance: 'first-available', headers: { hideBackend: false }, firewall: {} });
  });

  it('balances round-robin when neither the route nor the defaults say', () => {
    expect(effectiveSwitches({}, undefined).balance).toBe('round-robin');
  });
});

describe('describeThrottle', () => {
  it.each([
    ['slow-3g' as const, { mark: 'slow-3g (2000 ms, ↓400 ↑400 kbit/s)', card: 'Slow 3G', numbers: '2000 ms, ↓400 ↑400 kbit/s' }],
    [
      { latencyMs: 100, downKbps: 1000, upKbps: 500 },
      { mark: '100 ms, ↓1000 ↑500 kbit/s', card: 'Custom: 100 ms, 1000↓/500↑ kbit/s', numbers: '100 ms, ↓1000 ↑500 kbit/s' },
    ],
    [{ downKbps: 64 }, { mark: '0 ms, ↓64 kbit/s', card: 'Custom: 0 ms, 64↓/∞↑ kbit/s', numbers: '0 ms, ↓64 kbit/s' }],
    [{ latencyMs: 5 }, { mark: '5 ms', card: 'Custom: 5 ms, no rate limit', numbers: '5 ms' }],
  ])('%j: the mark the engine records and the words the card and the form show', (setting, words) => {
    expect(describeThrottle(setting)).toEqual(words);
  });

  it('says nothing for a throttle that is off', () => {
    expect(describeThrottle(false)).toBeUndefined();
    expect(describeThrottle(undefined)).toBeUndefined();
  });
});
