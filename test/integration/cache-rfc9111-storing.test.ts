// What the cache stores and for how long, at the real boundary over HTTP/1.1 and HTTP/2:
// HTTP-dates as RFC 9110 §5.6.7 defines them, Cache-Control parsed as RFC 9111 §5.2 and
// §4.2.1 say, any final status stored under explicit freshness and only some under a
// heuristic, and targeted fields (RFC 9213: CDN-Cache-Control and configured vendor
// fields) deciding before Cache-Control. Each case is one response the backend sends for
// a fresh path and a second request: a HIT (the backend saw one request) or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, NO_TARGETS_HOST, PROTOCOLS, VENDOR_HOST, startCacheHarness, type CacheHarness, type Scripted } from '../helpers/cache-harness.js';

let serial = 0;
const uniquePath = (name: string) => `/${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${++serial}`;

/** A date `seconds` from the harness's now, in the three forms and some broken ones. */
function forms(now: number, seconds: number) {
  const d = new Date(now + seconds * 1000);
  const imf = d.toUTCString(); // Thu, 04 Dec 2026 15:09:00 GMT
  const [dayName, day, month, year, time] = imf.split(/,? /) as [string, string, string, string, string];
  const longDay = { Mon: 'Monday', Tue: 'Tuesday', Wed: 'Wednesday', Thu: 'Thursday', Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday' }[dayName]!;
  return {
    imf,
    rfc850: `${longDay}, ${day}-${month}-${year.slice(2)} ${time} GMT`,
    asctime: `${dayName} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`,
    utc: imf.replace('GMT', 'UTC'),
    dashes: `${dayName}, ${day}-${month}-${year} ${time} GMT`,
    noComma: imf.replace(',', ''),
    // Tomorrow at 9, so a parser that took it would find it fresh.
    oneDigitHour: new Date(now + 86_400_000).toUTCString().replace(/ \d\d:\d\d:\d\d /, ' 9:00:00 '),
  };
}

describe.each(PROTOCOLS)('what the cache stores, over %s', (protocol) => {
  let h: CacheHarness;
  beforeAll(async () => void (h = await startCacheHarness()));
  afterAll(() => h.close());

  /** Sends two requests for a new path answered by `answer`; true when the second was a HIT. */
  async function reused(
    name: string,
    answer: Scripted | ((n: number) => Scripted),
    host = HOST,
    wait = 0,
  ): Promise<{ hit: boolean; mark: string; second: Awaited<ReturnType<CacheHarness['send']>> }> {
    const path = uniquePath(name);
    h.script(path, (_req, n) => (typeof answer === 'function' ? answer(n) : answer));
    await h.send(protocol, path, {}, { host });
    const mark = h.mark(path);
    h.pass(wait);
    const second = await h.send(protocol, path, {}, { host });
    const hit = h.seen(path).length === 1;
    expect(second.headers['x-cache']).toBe(hit ? 'HIT' : 'MISS');
    return { hit, mark, second };
  }

  describe('Expires is an HTTP-date exactly as RFC 9110 §5.6.7 says; an invalid one means already expired', () => {
    it.each([
      ['IMF-fixdate', 'imf', true],
      ['the obsolete RFC 850 form', 'rfc850', true],
      ['the obsolete asctime form', 'asctime', true],
      ['UTC instead of GMT', 'utc', false],
      ['dashes in an IMF-fixdate', 'dashes', false],
      ['no comma after the day name', 'noComma', false],
      ['a one-digit hour', 'oneDigitHour', false],
    ] as const)('%s an hour ahead (fresh: %s)', async (name, form, fresh) => {
      const expires = forms(h.now(), 3600)[form];
      expect((await reused(name, { headers: { expires } })).hit).toBe(fresh);
    });

    it.each([
      ['two Expires lines', () => [forms(h.now(), 3600).imf, forms(h.now(), 7200).imf]],
      ['Expires: 0', () => '0'],
      ['an Expires before Date', () => forms(h.now(), -60).imf],
    ])('%s: not fresh', async (name, expires) => {
      expect((await reused(name, { headers: { expires: expires() } })).hit).toBe(false);
    });

    it('max-age wins over an invalid Expires', async () => {
      expect((await reused('max-age-and-bad-expires', { headers: { expires: 'soon', 'cache-control': 'max-age=600' } })).hit).toBe(true);
    });
  });

  describe('Cache-Control directives are case-insensitive, quoted values read, repeated or invalid max-age stale (§4.2.1)', () => {
    it.each([
      ['MAX-AGE=600', true],
      ['Max-Age=600', true],
      ['max-age="600"', true],
      ['foo="a, max-age=0", max-age=600, bar', true],
      ['max-age=600, unknown-directive', true],
      ['max-age=600, max-age=600', false],
      ['max-age=600, max-age=0', false],
      ['max-age=abc', false],
      ['max-age=-1', false],
      ['max-age=1.5', false],
      ['max-age=', false],
      ['s-maxage=600, max-age=0', true],
      ['max-age=0, s-maxage=600', true],
      ['s-maxage=oops, max-age=600', false],
      ['No-Store, max-age=600', false],
      ['PRIVATE, max-age=600', false],
      ['max-age=600, No-Cache', false],
    ])('Cache-Control: %s (reused: %s)', async (cacheControl, fresh) => {
      expect((await reused(cacheControl, { headers: { 'cache-control': cacheControl, etag: '"e"' } })).hit).toBe(fresh);
    });

    it('a qualified private stores the response without the fields it names', async () => {
      const { hit, second } = await reused('private-qualified', {
        headers: { 'cache-control': 'private="x-secret", max-age=600', 'x-secret': 'for one user', 'x-public': 'for all' },
      });
      expect(hit).toBe(true);
      expect(second.headers['x-secret']).toBeUndefined();
      expect(second.headers['x-public']).toBe('for all');
    });
  });

  describe('any final status is stored with explicit freshness; a heuristic only for heuristically cacheable ones', () => {
    it.each([200, 203, 299, 400, 404, 410, 499, 500, 502, 503, 504, 599])('%i with max-age=600 is reused', async (status) => {
      const { hit, second } = await reused(`status-${status}`, { status, headers: { 'cache-control': 'max-age=600' } });
      expect(hit).toBe(true);
      expect(second.status).toBe(status);
    });

    it.each([
      [200, {}, true],
      [404, {}, true],
      [410, {}, true],
      [299, {}, false],
      [500, {}, false],
      [503, {}, false],
      [299, { 'cache-control': 'public' }, true],
    ])('%i with Last-Modified a day ago and %o: heuristically fresh: %s', async (status, extra, fresh) => {
      const lastModified = new Date(h.now() - 86_400_000).toUTCString();
      const { hit, mark } = await reused(`heuristic-${status}-${Object.keys(extra).length}`, { status, headers: { 'last-modified': lastModified, ...extra } });
      expect(hit).toBe(fresh);
      if (fresh) expect(mark).toMatch(/stored for 8640 s by a heuristic/);
      else expect(mark).toMatch(/not stored: status \d+ needs explicit freshness/);
    });
  });

  describe('targeted fields (RFC 9213) decide before Cache-Control and Expires', () => {
    it.each<[string, string, Record<string, string>, boolean, string]>([
      [
        'CDN-Cache-Control allows what Cache-Control forbids',
        HOST,
        { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=300' },
        true,
        'stored for 300 s by CDN-Cache-Control',
      ],
      [
        'CDN-Cache-Control forbids what Cache-Control allows',
        HOST,
        { 'cache-control': 'max-age=300', 'cdn-cache-control': 'no-store' },
        false,
        'not stored: the response says CDN-Cache-Control: no-store',
      ],
      ['CDN-Cache-Control makes Expires ignored', HOST, { 'cdn-cache-control': 'max-age=300', expires: '0' }, true, 'stored for 300 s by CDN-Cache-Control'],
      [
        'an invalid CDN-Cache-Control leaves Cache-Control in charge',
        HOST,
        { 'cache-control': 'no-store', 'cdn-cache-control': 'MAX-AGE=300' },
        false,
        'not stored: the response says Cache-Control: no-store',
      ],
      [
        'an empty CDN-Cache-Control leaves Cache-Control in charge',
        HOST,
        { 'cache-control': 'max-age=300', 'cdn-cache-control': '' },
        true,
        'stored for 300 s by Cache-Control',
      ],
      [
        'the first configured field present decides',
        VENDOR_HOST,
        { 'vercel-cdn-cache-control': 'max-age=300', 'cdn-cache-control': 'no-store' },
        true,
        'stored for 300 s by Vercel-CDN-Cache-Control',
      ],
      [
        'a later configured field decides when the first is absent',
        VENDOR_HOST,
        { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=300' },
        true,
        'stored for 300 s by CDN-Cache-Control',
      ],
      [
        'a vendor field not configured is ignored',
        HOST,
        { 'vercel-cdn-cache-control': 'max-age=300', 'cache-control': 'no-store' },
        false,
        'not stored: the response says Cache-Control: no-store',
      ],
      [
        'targets [] ignores CDN-Cache-Control',
        NO_TARGETS_HOST,
        { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=300' },
        false,
        'not stored: the response says Cache-Control: no-store',
      ],
    ])('%s', async (name, host, headers, fresh, words) => {
      const { hit, mark, second } = await reused(name, { headers }, host);
      expect(hit).toBe(fresh);
      expect(mark).toContain(words);
      // The client sees the backend's fields as they were.
      expect(second.headers['cache-control']).toBe(headers['cache-control']);
    });

    it('CDN-Cache-Control freshness runs out on its own clock, not Cache-Control', async () => {
      const headers = { 'cache-control': 'max-age=10', 'cdn-cache-control': 'max-age=100' };
      expect((await reused('cdn-clock-long', { headers }, HOST, 50)).hit).toBe(true);
      expect((await reused('cdn-clock-plain', { headers }, NO_TARGETS_HOST, 50)).hit).toBe(false);
    });
  });
});
