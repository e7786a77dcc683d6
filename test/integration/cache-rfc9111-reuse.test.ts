// RFC 9111 reuse at the real boundary, over HTTP/1.1 and HTTP/2: a scripted backend that
// counts what reaches it, the engine's cache, a clock the test moves. Each table is one
// rule: revalidation never turns into a 304 the client did not ask for; the client's own
// conditionals answered from a fresh stored response; Age, Date and header updates on
// what the store serves; stale responses refused where the response forbids them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOLS, startCacheHarness, type CacheHarness, type Script, type Scripted } from '../helpers/cache-harness.js';

const ETAG = '"v1"';
const LAST_MODIFIED = 'Mon, 01 Dec 2025 10:00:00 GMT';

/** 200 with `headers` first; then a 304 to any conditional request, a new 200 to others. */
const validating =
  (headers: Record<string, string>): Script =>
  (req, n) => {
    if (n > 1 && (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined))
      return { status: 304, headers: { ...headers, 'x-answer': String(n) } };
    return { headers: { 'content-type': 'text/plain', ...headers, 'x-answer': String(n) }, body: n === 1 ? 'stored body' : `new body #${n}` };
  };

let serial = 0;
const uniquePath = (name: string) => `/${name.replace(/[^a-z0-9]+/gi, '-')}-${++serial}`;

describe.each(PROTOCOLS)('cache over %s', (protocol) => {
  let h: CacheHarness;
  beforeAll(async () => void (h = await startCacheHarness()));
  afterAll(() => h.close());

  describe('a revalidation the client did not ask for answers 200 with the stored body, never a 304', () => {
    it.each<[string, Record<string, string>, Record<string, string>, number]>([
      ['no-cache on the stored response (ETag)', { 'cache-control': 'no-cache', etag: ETAG }, {}, 0],
      ['no-cache on the stored response (Last-Modified)', { 'cache-control': 'no-cache', 'last-modified': LAST_MODIFIED }, {}, 0],
      ['a stale response', { 'cache-control': 'max-age=5', etag: ETAG }, {}, 10],
      ['the client asks max-age=0', { 'cache-control': 'max-age=600', etag: ETAG }, { 'cache-control': 'max-age=0' }, 0],
      ['the client asks no-cache', { 'cache-control': 'max-age=600', etag: ETAG }, { 'cache-control': 'no-cache' }, 0],
      ['the client sends Pragma: no-cache', { 'cache-control': 'max-age=600', etag: ETAG }, { pragma: 'no-cache' }, 0],
      ['must-revalidate once stale', { 'cache-control': 'max-age=5, must-revalidate', etag: ETAG }, {}, 10],
    ])('%s', async (name, stored, request, seconds) => {
      const path = uniquePath(name);
      h.script(path, validating(stored));
      expect((await h.send(protocol, path)).body).toBe('stored body');
      h.pass(seconds);
      const reply = await h.send(protocol, path, request);
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('stored body');
      expect(reply.headers['x-cache']).toBe('REVALIDATED');
      expect(reply.headers['x-answer']).toBe('2'); // the 304's fields merged in
      const asked = h.seen(path)[1]!;
      expect(asked['if-none-match'] ?? asked['if-modified-since']).toBe(stored.etag ?? stored['last-modified']);
      expect(h.mark(path)).toMatch(/^revalidated: 304 from the backend/);
    });

    it.each([
      ['its own matching If-None-Match', { 'if-none-match': ETAG }, 304],
      ['its own If-None-Match for another version', { 'if-none-match': '"v0"' }, 200],
      ['its own If-Modified-Since after Last-Modified', { 'if-modified-since': 'Tue, 02 Dec 2025 10:00:00 GMT' }, 304],
    ])('a client that sent %s is answered from the refreshed stored response (%s)', async (name, request, status) => {
      const path = uniquePath(name);
      h.script(path, validating({ 'cache-control': 'no-cache', etag: ETAG, 'last-modified': LAST_MODIFIED }));
      await h.send(protocol, path);
      const reply = await h.send(protocol, path, request);
      expect(reply.status).toBe(status);
      expect(reply.body).toBe(status === 304 ? '' : 'stored body');
      // The backend saw the stored validators, not the client's.
      expect(h.seen(path)[1]!['if-none-match']).toBe(ETAG);
    });
  });

  describe("the client's own conditionals are answered from a fresh stored response (RFC 9110 §13)", () => {
    it.each<[string, Record<string, string>, Record<string, string>, number]>([
      ['If-None-Match naming the ETag', { etag: '"a"' }, { 'if-none-match': '"a"' }, 304],
      ['a weak If-None-Match for a strong ETag', { etag: '"a"' }, { 'if-none-match': 'W/"a"' }, 304],
      ['a strong If-None-Match for a weak ETag', { etag: 'W/"a"' }, { 'if-none-match': '"a"' }, 304],
      ['an If-None-Match list naming it', { etag: '"a"' }, { 'if-none-match': '"x", "y,z", "a"' }, 304],
      ['If-None-Match: *', { etag: '"a"' }, { 'if-none-match': '*' }, 304],
      ['an unquoted If-None-Match', { etag: '"a"' }, { 'if-none-match': 'a' }, 304],
      ['If-None-Match naming another tag', { etag: '"a"' }, { 'if-none-match': '"b"' }, 200],
      ['If-None-Match without a stored ETag', { 'last-modified': LAST_MODIFIED }, { 'if-none-match': '"a"' }, 200],
      ['If-Modified-Since equal to Last-Modified', { 'last-modified': LAST_MODIFIED }, { 'if-modified-since': LAST_MODIFIED }, 304],
      ['If-Modified-Since before Last-Modified', { 'last-modified': LAST_MODIFIED }, { 'if-modified-since': 'Sun, 30 Nov 2025 10:00:00 GMT' }, 200],
      ['an invalid If-Modified-Since', { 'last-modified': LAST_MODIFIED }, { 'if-modified-since': '2025-12-02' }, 200],
      [
        'If-None-Match not matching wins over a matching If-Modified-Since',
        { etag: '"a"', 'last-modified': LAST_MODIFIED },
        { 'if-none-match': '"b"', 'if-modified-since': LAST_MODIFIED },
        200,
      ],
    ])('%s → %s', async (name, stored, request, status) => {
      const path = uniquePath(name);
      h.script(path, () => ({ headers: { 'content-type': 'text/plain', 'cache-control': 'max-age=600', ...stored }, body: 'stored body' }));
      await h.send(protocol, path);
      const reply = await h.send(protocol, path, request);
      expect(reply.status).toBe(status);
      expect(reply.headers['x-cache']).toBe('HIT');
      expect(h.seen(path)).toHaveLength(1);
      if (status === 304) {
        expect(reply.body).toBe('');
        expect(reply.headers['cache-control']).toBe('max-age=600');
        expect(reply.headers.etag).toBe(stored.etag);
        expect(reply.headers.age).toBeDefined();
        expect(reply.headers['content-type']).toBeUndefined();
        expect(h.mark(path)).toMatch(/^HIT, .*304: the request's If-(None-Match|Modified-Since) matches/);
      } else expect(reply.body).toBe('stored body');
    });
  });

  it.each([
    ['If-Match', { 'if-match': '"other"' }],
    ['If-Unmodified-Since', { 'if-unmodified-since': 'Sun, 30 Nov 2025 10:00:00 GMT' }],
  ])('a request with %s goes to the backend, and its 412 is not stored', async (name, request) => {
    const path = uniquePath(name);
    h.script(path, (req): Scripted =>
      req.headers['if-match'] !== undefined || req.headers['if-unmodified-since'] !== undefined
        ? { status: 412, headers: { 'cache-control': 'max-age=600' }, body: '' }
        : { headers: { 'cache-control': 'max-age=600', etag: ETAG, 'last-modified': LAST_MODIFIED }, body: 'stored body' },
    );
    await h.send(protocol, path);
    expect((await h.send(protocol, path, request)).status).toBe(412);
    expect(h.seen(path)).toHaveLength(2);
    expect((await h.send(protocol, path)).body).toBe('stored body');
    expect(h.seen(path)).toHaveLength(2);
  });

  describe('what the store serves carries Age, the stored Date, and updated fields', () => {
    it('Age counts the seconds in the store, on top of the Age the backend sent', async () => {
      const path = uniquePath('age');
      h.script(path, () => ({ headers: { 'cache-control': 'max-age=600', age: '30' } }));
      await h.send(protocol, path);
      h.pass(10);
      const reply = await h.send(protocol, path);
      expect(reply.headers['x-cache']).toBe('HIT');
      expect(Number(reply.headers.age)).toBeGreaterThanOrEqual(40);
      expect(Number(reply.headers.age)).toBeLessThan(43);
      expect(h.mark(path)).toMatch(/^HIT, age 4\d s, fresh for 5\d\d s more \(max-age=600 in Cache-Control\)$/);
    });

    it.each([
      ['7200 then 0', ['7200', '0'], false],
      ['0 then 7200', ['0', '7200'], true],
      ['7200, 0 on one line', '7200, 0', false],
      ['not a number', 'soon', true],
    ])('Age %s with max-age=3600: the first member counts (fresh: %s)', async (name, age, fresh) => {
      const path = uniquePath(`age-${name}`);
      h.script(path, () => ({ headers: { 'cache-control': 'max-age=3600', age } }));
      await h.send(protocol, path);
      await h.send(protocol, path);
      expect(h.seen(path)).toHaveLength(fresh ? 1 : 2);
    });

    it('the stored Date goes out as stored, not the time of the hit', async () => {
      const path = uniquePath('date');
      const date = new Date(h.now()).toUTCString();
      h.script(path, () => ({ headers: { 'cache-control': 'max-age=600', date } }));
      await h.send(protocol, path);
      h.pass(20);
      const reply = await h.send(protocol, path);
      expect(reply.headers.date).toBe(date);
      expect(Number(reply.headers.age)).toBeGreaterThanOrEqual(20);
    });

    it('a response without Date is stored with the time it arrived', async () => {
      const path = uniquePath('no-date');
      h.script(path, () => ({ headers: { 'cache-control': 'max-age=600', date: null } }));
      await h.send(protocol, path);
      h.pass(5);
      const reply = await h.send(protocol, path);
      expect(reply.headers['x-cache']).toBe('HIT');
      expect(Math.abs(Date.parse(reply.headers.date!) - (h.now() - 5_000))).toBeLessThan(2_000);
    });

    it("a 304's fields replace the stored ones, but not Content-Length", async () => {
      const path = uniquePath('update-304');
      h.script(path, (_req, n): Scripted =>
        n === 1
          ? { headers: { 'cache-control': 'max-age=5', etag: ETAG, 'x-version': '1', 'content-type': 'text/plain' }, body: 'stored body' }
          : { status: 304, headers: { 'cache-control': 'max-age=600', etag: ETAG, 'x-version': '2', 'content-length': '0' } },
      );
      await h.send(protocol, path);
      h.pass(10);
      expect((await h.send(protocol, path)).headers['x-version']).toBe('2');
      const hit = await h.send(protocol, path);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.headers['x-version']).toBe('2');
      expect(hit.headers['cache-control']).toBe('max-age=600');
      expect(hit.body).toBe('stored body');
      expect(hit.headers['content-length']).toBe(String('stored body'.length));
      expect(h.seen(path)).toHaveLength(2);
    });

    it.each([
      ['with the same validators updates the stored fields', ETAG, 1, '2'],
      ['with another ETag makes the stored response revalidate first', '"v2"', 2, undefined],
    ])('a HEAD response %s', async (_name, headEtag, laterRequests, version) => {
      const path = uniquePath(`head-${headEtag}`);
      h.script(path, (req, n) =>
        req.method === 'HEAD' || n > 2
          ? { headers: { 'cache-control': 'max-age=600', etag: req.method === 'HEAD' ? headEtag : '"v2"', 'x-version': String(n) } }
          : { headers: { 'cache-control': 'max-age=600', etag: ETAG, 'x-version': '1' }, body: 'stored body' },
      );
      await h.send(protocol, path);
      // no-cache makes the HEAD go to the backend; the backend answers it in full.
      await h.send(protocol, path, { 'cache-control': 'no-cache' }, { method: 'HEAD' });
      const after = await h.send(protocol, path);
      expect(h.seen(path)).toHaveLength(2 + laterRequests - 1);
      if (version) expect(after.headers['x-version']).toBe(version);
      else expect(after.headers['x-cache']).not.toBe('HIT');
    });
  });

  describe('a stale response is not served when the origin fails if the response forbids it', () => {
    it.each([
      ['max-age=1, stale-if-error=600', true],
      ['max-age=1, stale-if-error=600, must-revalidate', false],
      ['max-age=1, stale-if-error=600, proxy-revalidate', false],
      ['max-age=1, s-maxage=1, stale-if-error=600', false],
      ['no-cache, stale-if-error=600', false],
    ])('Cache-Control: %s (served stale: %s)', async (cacheControl, servedStale) => {
      for (const failure of ['503', 'closed'] as const) {
        const path = uniquePath(`${cacheControl}-${failure}`);
        h.script(path, (_req, n) => {
          if (n === 1) return { headers: { 'cache-control': cacheControl, etag: ETAG }, body: 'stored body' };
          return failure === '503' ? { status: 503, body: 'backend broke' } : { raw: '' };
        });
        await h.send(protocol, path);
        h.pass(5);
        const reply = await h.send(protocol, path);
        if (servedStale) {
          expect([reply.status, reply.body, reply.headers['x-cache']]).toEqual([200, 'stored body', 'STALE']);
        } else {
          expect(reply.status).toBe(failure === '503' ? 503 : 502);
          expect(reply.body).not.toBe('stored body');
        }
      }
    });
  });
});
