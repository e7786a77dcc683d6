// Ranges answered from a stored complete 200 (RFC 9110 §14, RFC 9111 §3.3), interim 1xx
// responses forwarded and never stored, and a backend body that overruns its
// Content-Length — at the real boundary, over HTTP/1.1 and HTTP/2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN_HOST, PROTOCOLS, startCacheHarness, type CacheHarness, type Scripted } from '../helpers/cache-harness.js';

const BODY = 'abcdefghijklmnopqrstuvwxyz';
const ETAG = '"alphabet"';
const LAST_MODIFIED = 'Mon, 01 Dec 2025 10:00:00 GMT';

let serial = 0;
const uniquePath = (name: string) => `/${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${++serial}`;

describe.each(PROTOCOLS)('ranges, interim responses and overruns over %s', (protocol) => {
  let h: CacheHarness;
  beforeAll(async () => void (h = await startCacheHarness()));
  afterAll(() => h.close());

  describe('a Range request is answered from a stored complete 200', () => {
    it.each<[string, Record<string, string>, number, string, string | undefined]>([
      ['a closed range', { range: 'bytes=0-4' }, 206, 'abcde', 'bytes 0-4/26'],
      ['an open range', { range: 'bytes=20-' }, 206, 'uvwxyz', 'bytes 20-25/26'],
      ['a suffix range', { range: 'bytes=-3' }, 206, 'xyz', 'bytes 23-25/26'],
      ['a range past the end, clipped', { range: 'bytes=24-100' }, 206, 'yz', 'bytes 24-25/26'],
      ['a unit name in capitals', { range: 'Bytes=1-2' }, 206, 'bc', 'bytes 1-2/26'],
      ['a range starting past the end', { range: 'bytes=30-40' }, 416, '', 'bytes */26'],
      ['several ranges (served whole)', { range: 'bytes=0-1,4-5' }, 200, BODY, undefined],
      ['another unit (served whole)', { range: 'items=0-1' }, 200, BODY, undefined],
      ['a reversed range (ignored)', { range: 'bytes=5-2' }, 200, BODY, undefined],
      ['If-Range with the stored ETag', { range: 'bytes=0-1', 'if-range': ETAG }, 206, 'ab', 'bytes 0-1/26'],
      ['If-Range with another ETag (served whole)', { range: 'bytes=0-1', 'if-range': '"other"' }, 200, BODY, undefined],
      ['If-Range with the stored Last-Modified', { range: 'bytes=0-1', 'if-range': LAST_MODIFIED }, 206, 'ab', 'bytes 0-1/26'],
    ])('%s', async (name, request, status, body, contentRange) => {
      const path = uniquePath(name);
      h.script(path, () => ({
        headers: { 'cache-control': 'max-age=600', etag: ETAG, 'last-modified': LAST_MODIFIED, 'content-type': 'text/plain' },
        body: BODY,
      }));
      await h.send(protocol, path);
      const reply = await h.send(protocol, path, request);
      expect(reply.status).toBe(status);
      expect(reply.body).toBe(body);
      expect(reply.headers['content-range']).toBe(contentRange);
      if (status === 206) expect(reply.headers['content-length']).toBe(String(body.length));
      expect(reply.headers['x-cache']).toBe('HIT');
      expect(h.seen(path)).toHaveLength(1);
    });

    it('a 206 from the backend is passed on, never stored, and never served as the whole', async () => {
      const path = uniquePath('partial');
      h.script(path, (req): Scripted =>
        req.headers.range
          ? { status: 206, headers: { 'cache-control': 'max-age=600', 'content-range': 'bytes 0-4/26' }, body: 'abcde' }
          : { headers: { 'cache-control': 'max-age=600' }, body: BODY },
      );
      const part = await h.send(protocol, path, { range: 'bytes=0-4' });
      expect([part.status, part.body]).toEqual([206, 'abcde']);
      expect(h.mark(path)).toContain('not stored: partial content (206) is not stored');
      const whole = await h.send(protocol, path);
      expect([whole.status, whole.body, whole.headers['x-cache']]).toEqual([200, BODY, 'MISS']);
      expect(h.seen(path)).toHaveLength(2);
    });
  });

  it('103 Early Hints and 102 Processing reach the client before the response, and a HIT repeats neither', async () => {
    const path = uniquePath('interim');
    const link = '</style.css>; rel=preload; as=style';
    h.script(path, () => ({
      interim: [
        { status: 103, headers: { link } },
        { status: 102, headers: {} },
      ],
      headers: { 'cache-control': 'max-age=600' },
      body: 'page',
    }));
    const first = await h.send(protocol, path);
    expect(first.interim.map((i) => i.status)).toEqual([103, 102]);
    expect(first.interim[0]!.headers.link).toBe(link);
    expect([first.status, first.body]).toEqual([200, 'page']);
    const second = await h.send(protocol, path);
    expect(second.interim).toEqual([]);
    expect([second.status, second.body, second.headers['x-cache']]).toEqual([200, 'page', 'HIT']);
    expect(h.seen(path)).toHaveLength(1);
    // A route without the cache forwards them too.
    const plain = await h.send(protocol, path, {}, { host: PLAIN_HOST });
    expect(plain.interim.map((i) => i.status)).toEqual([103, 102]);
    expect(plain.body).toBe('page');
  });

  it('a body past its Content-Length: the client gets the declared bytes and nothing is stored', async () => {
    const path = uniquePath('overrun');
    h.script(path, () => ({
      raw: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-From-Backend: yes\r\nCache-Control: max-age=600\r\n\r\nhello, and bytes nobody declared',
    }));
    const reply = await h.send(protocol, path);
    expect([reply.status, reply.body, reply.headers['content-length']]).toEqual([200, 'hello', '5']);
    expect(reply.headers['x-from-backend']).toBe('yes');
    await h.send(protocol, path);
    expect(h.seen(path)).toHaveLength(2);
  });

  it("a backend that breaks its framing before the response is whole: a 502 page with Portico's own headers, or a cut stream once the head went", async () => {
    const path = uniquePath('broken-chunks');
    h.script(path, () => ({
      raw: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-From-Backend: yes\r\nCache-Control: max-age=600\r\n\r\n5\r\nhello\r\nZZZ\r\n',
    }));
    const reply = await h.send(protocol, path).catch((error: Error) => error);
    if (reply instanceof Error) return expect(reply.message).toMatch(/NGHTTP2|socket hang up|aborted/);
    expect(reply.status).toBe(502);
    expect(reply.headers['x-from-backend']).toBeUndefined();
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-portico']).toBe('page');
  });
});
