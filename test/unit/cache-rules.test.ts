// The cache's pure rules as tables: HTTP-dates (RFC 9110 §5.6.7), Cache-Control parsing
// (RFC 9111 §5.2, §4.2.1), targeted fields (RFC 9213), freshness and age (§4.2),
// conditionals (RFC 9110 §13) and ranges (RFC 9110 §14).
import { describe, expect, it } from 'vitest';
import { deltaSeconds, parseCacheControl, qualifiedFields } from '../../proxy-core/engine/cache/cache-control.js';
import { notModified } from '../../proxy-core/engine/cache/conditionals.js';
import { ageValueOf, currentAge, responseRules } from '../../proxy-core/engine/cache/freshness.js';
import { parseHttpDate } from '../../proxy-core/engine/cache/http-date.js';
import { planRange, sliceBody } from '../../proxy-core/engine/cache/ranges.js';
import { selectsStored, updatedHeaders } from '../../proxy-core/engine/cache/stored-headers.js';
import { parseTargeted, selectTargeted } from '../../proxy-core/engine/cache/targeted-fields.js';

const NOV_6_1994 = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', NOV_6_1994],
    ['Sunday, 06-Nov-94 08:49:37 GMT', NOV_6_1994],
    ['Sun Nov  6 08:49:37 1994', NOV_6_1994],
    ['  Sun, 06 Nov 1994 08:49:37 GMT  ', NOV_6_1994],
    ['Sun, 06 Nov 1994 08:49:37 UTC', undefined],
    ['Sun, 06-Nov-1994 08:49:37 GMT', undefined],
    ['Sun 06 Nov 1994 08:49:37 GMT', undefined],
    ['Sun, 06 Nov 1994 8:49:37 GMT', undefined],
    ['Sun, 6 Nov 1994 08:49:37 GMT', undefined],
    ['sun, 06 nov 1994 08:49:37 gmt', undefined],
    ['Sun, 31 Feb 1994 08:49:37 GMT', undefined],
    ['Sun, 06 Nov 1994 24:00:00 GMT', undefined],
    ['Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT', undefined],
    ['0', undefined],
    ['1994-11-06T08:49:37Z', undefined],
    ['', undefined],
  ])('%j → %s', (text, expected) => {
    expect(parseHttpDate(text, Date.UTC(2026, 0, 1))).toBe(expected);
  });

  it('reads a two-digit year more than 50 years ahead as the past century (RFC 850)', () => {
    expect(new Date(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1))!).getUTCFullYear()).toBe(1994);
    expect(new Date(parseHttpDate('Thursday, 06-Nov-70 08:49:37 GMT', Date.UTC(2026, 0, 1))!).getUTCFullYear()).toBe(2070);
  });

  it('several field lines are not a date', () => {
    expect(parseHttpDate(['Sun, 06 Nov 1994 08:49:37 GMT'])).toBeUndefined();
  });
});

describe('parseCacheControl and deltaSeconds', () => {
  it.each([
    ['max-age=60', 60],
    ['MAX-AGE=60', 60],
    ['max-age="60"', 60],
    ['  max-age=60  ,no-cache', 60],
    ['max-age=60, max-age=60', 'invalid'],
    ['max-age=60, MAX-AGE=10', 'invalid'],
    ['max-age', 'invalid'],
    ['max-age=', 'invalid'],
    ['max-age=1.5', 'invalid'],
    ['max-age=-1', 'invalid'],
    ['max-age=99999999999', 2 ** 31],
    ['x="max-age=5", y', undefined],
    ['no-store', undefined],
  ])('%j → max-age %s', (field, expected) => {
    expect(deltaSeconds(parseCacheControl(field), 'max-age')).toBe(expected);
  });

  it('reads quoted arguments with commas and escapes, and the fields a qualified directive names', () => {
    const parsed = parseCacheControl('private="Set-Cookie, X-Secret", ext="a\\"b", No-Cache');
    expect(qualifiedFields(parsed, 'private')).toEqual(['set-cookie', 'x-secret']);
    expect(parsed.values.get('ext')).toBe('a"b');
    expect(parsed.values.get('no-cache')).toBe(true);
  });
});

describe('targeted fields', () => {
  it.each([
    ['max-age=60', new Map([['max-age', '60']])],
    [
      'max-age=60, no-store',
      new Map<string, string | true>([
        ['max-age', '60'],
        ['no-store', true],
      ]),
    ],
    ['no-cache="set-cookie"', new Map([['no-cache', 'set-cookie']])],
    ['private=?0, max-age=5', new Map([['max-age', '5']])],
    ['max-age="60"', new Map([['max-age', '"60"']])], // a String where an Integer belongs: stale
    ['Max-Age=60', undefined], // keys are lower case in a Structured Field
    ['max-age=60,', undefined],
    ['max-age=60;;', undefined],
    ['', undefined],
  ])('%j → %o', (field, expected) => {
    expect(parseTargeted(field)?.values).toEqual(expected);
  });

  it('the first listed field with a valid value decides', () => {
    const headers = { 'vendor-cdn-cache-control': 'Bad=1', 'cdn-cache-control': 'max-age=5' };
    expect(selectTargeted(headers, ['Vendor-CDN-Cache-Control', 'CDN-Cache-Control'])?.field).toBe('CDN-Cache-Control');
    expect(selectTargeted(headers, [])).toBeUndefined();
  });
});

describe('responseRules: freshness lifetime (RFC 9111 §4.2.1)', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const date = new Date(now).toUTCString();
  const inAMinute = new Date(now + 60_000).toUTCString();
  const dayAgo = new Date(now - 86_400_000).toUTCString();
  it.each<[string, number, Record<string, string>, readonly string[], number, string]>([
    ['s-maxage before max-age', 200, { 'cache-control': 'max-age=10, s-maxage=20' }, [], 20, 'Cache-Control'],
    ['max-age before Expires', 200, { 'cache-control': 'max-age=10', expires: inAMinute, date }, [], 10, 'Cache-Control'],
    ['Expires minus Date', 200, { expires: inAMinute, date }, [], 60, 'Expires'],
    ['an invalid Expires', 200, { expires: 'tomorrow', date }, [], 0, 'Expires'],
    ['a heuristic for 200', 200, { 'last-modified': dayAgo, date }, [], 8640, 'a heuristic'],
    ['no heuristic for 500', 500, { 'last-modified': dayAgo, date }, [], 0, 'Cache-Control'],
    ['a heuristic for 500 marked public', 500, { 'last-modified': dayAgo, 'cache-control': 'public', date }, [], 8640, 'a heuristic'],
    [
      'a targeted field over Cache-Control',
      200,
      { 'cache-control': 'max-age=10', 'cdn-cache-control': 'max-age=99' },
      ['CDN-Cache-Control'],
      99,
      'CDN-Cache-Control',
    ],
    ['a targeted field hides Expires', 200, { 'cdn-cache-control': 'no-cache', expires: inAMinute, date }, ['CDN-Cache-Control'], 0, 'CDN-Cache-Control'],
  ])('%s', (_name, status, headers, targets, lifetime, decidedBy) => {
    const rules = responseRules(status, headers, targets, now);
    expect([rules.lifetime, rules.decidedBy]).toEqual([lifetime, decidedBy]);
  });

  it.each([
    ['must-revalidate', 'must-revalidate'],
    ['max-age=5, proxy-revalidate', 'proxy-revalidate'],
    ['s-maxage=5', 's-maxage'],
    ['no-cache', 'no-cache'],
    ['max-age=5, stale-if-error=60', undefined],
  ])('%j forbids serving stale: %s', (cacheControl, by) => {
    expect(responseRules(200, { 'cache-control': cacheControl }, [], now).staleForbidden).toBe(by);
  });
});

describe('ageValueOf (RFC 9111 §5.1)', () => {
  it.each<[string | undefined, number]>([
    ['30', 30],
    ['7200, 0', 7200],
    ['0, 7200', 0],
    ['-7200', 0],
    ['7200.0', 0],
    ['a7200', 0],
    ['99999999999', 2 ** 31],
    [undefined, 0],
  ])('%j → %i', (field, seconds) => expect(ageValueOf(field)).toBe(seconds));
});

describe('currentAge (RFC 9111 §4.2.3)', () => {
  it.each([
    ['resident time only', { ageValue: 0, dateValue: 1_000, requestTime: 1_000, responseTime: 1_000 }, 11_000, 10],
    ['plus the Age it arrived with, and the response delay', { ageValue: 30, dateValue: 1_000, requestTime: 0, responseTime: 1_000 }, 1_000, 31],
    ['a Date in the past counts when larger than Age', { ageValue: 0, dateValue: 0, requestTime: 5_000, responseTime: 5_000 }, 5_000, 5],
    ['a Date in the future counts as zero', { ageValue: 0, dateValue: 9_000, requestTime: 5_000, responseTime: 5_000 }, 5_000, 0],
  ])('%s', (_name, clock, now, age) => {
    expect(currentAge(clock, now)).toBe(age);
  });
});

describe('notModified (RFC 9110 §13.1)', () => {
  const stored = { etag: 'W/"x"', 'last-modified': 'Sun, 06 Nov 1994 08:49:37 GMT' };
  it.each<[string, Record<string, string>, boolean]>([
    ['If-None-Match weakly equal', { 'if-none-match': '"x"' }, true],
    ['If-None-Match in a list', { 'if-none-match': '"a", W/"x"' }, true],
    ['If-None-Match *', { 'if-none-match': '*' }, true],
    ['If-None-Match other', { 'if-none-match': '"y"' }, false],
    ['If-Modified-Since later', { 'if-modified-since': 'Mon, 07 Nov 1994 08:49:37 GMT' }, true],
    ['If-Modified-Since earlier', { 'if-modified-since': 'Sat, 05 Nov 1994 08:49:37 GMT' }, false],
    ['If-Modified-Since invalid', { 'if-modified-since': 'yesterday' }, false],
    ['If-None-Match decides over If-Modified-Since', { 'if-none-match': '"y"', 'if-modified-since': 'Mon, 07 Nov 1994 08:49:37 GMT' }, false],
  ])('%s → %s', (_name, request, expected) => {
    expect(notModified('GET', request, stored, Date.now())).toBe(expected);
  });
  it('only for GET and HEAD', () => expect(notModified('POST', { 'if-none-match': '*' }, stored, Date.now())).toBe(false));
});

describe('planRange (RFC 9110 §14)', () => {
  const stored = { etag: '"s"', 'last-modified': 'Sun, 06 Nov 1994 08:49:37 GMT' };
  it.each<[string, Record<string, string>, ReturnType<typeof planRange>]>([
    ['bytes=0-9', {}, { kind: 'part', start: 0, end: 9 }],
    ['bytes=90-', {}, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-10', {}, { kind: 'part', start: 90, end: 99 }],
    ['bytes=-200', {}, { kind: 'part', start: 0, end: 99 }],
    ['bytes=50-500', {}, { kind: 'part', start: 50, end: 99 }],
    ['bytes=100-', {}, { kind: 'unsatisfiable' }],
    ['bytes=-0', {}, { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', {}, { kind: 'whole' }],
    ['bytes=9-1', {}, { kind: 'whole' }],
    ['bytes=', {}, { kind: 'whole' }],
    ['lines=0-1', {}, { kind: 'whole' }],
    ['bytes=0-1', { 'if-range': '"s"' }, { kind: 'part', start: 0, end: 1 }],
    ['bytes=0-1', { 'if-range': 'W/"s"' }, { kind: 'whole' }],
    ['bytes=0-1', { 'if-range': 'Sun, 06 Nov 1994 08:49:37 GMT' }, { kind: 'part', start: 0, end: 1 }],
    ['bytes=0-1', { 'if-range': 'Mon, 07 Nov 1994 08:49:37 GMT' }, { kind: 'whole' }],
  ])('%s %o of 100 bytes', (range, extra, expected) => {
    expect(planRange('GET', { range, ...extra }, stored, 100)).toEqual(expected);
  });

  it('slices across stored chunks', () => {
    const chunks = [Buffer.from('abc'), Buffer.from('def'), Buffer.from('ghi')];
    expect(Buffer.concat(sliceBody(chunks, 2, 6)).toString()).toBe('cdefg');
  });
});

describe('stored header updates (RFC 9111 §3.2, §4.3.4)', () => {
  it('a 304 replaces fields but never Content-Length or the hop-by-hop ones', () => {
    const merged = updatedHeaders(
      { 'content-length': '10', 'x-v': '1', etag: '"a"' },
      { 'content-length': '0', 'x-v': '2', connection: 'close', 'cache-control': 'max-age=5' },
    );
    expect(merged).toEqual({ 'content-length': '10', 'x-v': '2', etag: '"a"', 'cache-control': 'max-age=5' });
  });
  it.each<[Record<string, string>, Record<string, string>, boolean]>([
    [{ etag: '"a"' }, { etag: '"a"' }, true],
    [{ etag: '"a"' }, { etag: '"b"' }, false],
    [{ etag: 'W/"a"' }, { etag: '"a"' }, false],
    [{ etag: 'W/"a"' }, { etag: 'W/"a"' }, true],
    [{ 'last-modified': 'x' }, { 'last-modified': 'x' }, true],
    [{ etag: '"a"' }, {}, true],
  ])('stored %o, 304 %o: selected %s', (stored, fresh, expected) => {
    expect(selectsStored(stored, fresh)).toBe(expected);
  });
});
