// HAR 1.2 export and import: spec-valid output (checked field by field), faithful fields,
// browser HARs in, and export → import → export stable.
import { describe, expect, it } from 'vitest';
import { fromHar, HarImportError, toHar, type HarEntry } from '../../proxy-core/capture/har.js';
import { checkHar12 } from '../fixtures/har/check-har12.js';
import { b64, body, CREATOR, exchange, fixture, json, page, png, sample, T0 } from '../fixtures/har/sample.js';

describe('toHar', () => {
  const har = toHar(sample, CREATOR);
  const [query, post, bin, fail, ws] = har.log.entries;

  it('writes valid HAR 1.2: every required field, typed, sums consistent', () => {
    expect(checkHar12(json(har))).toEqual([]);
    expect(har.log).toMatchObject({ version: '1.2', creator: CREATOR });
    expect(har.log).not.toHaveProperty('pages');
  });

  it('the checker is strict: it catches missing and foreign fields and broken sums', () => {
    const broken = json(har);
    delete (broken.log.entries[0] as Partial<HarEntry>).cache;
    (broken.log.entries[1]!.request as unknown as Record<string, unknown>).bodySize = undefined;
    (broken.log.entries[2]!.response.cookies as unknown[]).push({ name: 'x', value: 'y', sameSite: 'Lax' });
    expect(checkHar12(broken)).toEqual([
      'har.log.entries[0].cache: required',
      'har.log.entries[1].request.bodySize: required',
      'har.log.entries[2].response.cookies[0].sameSite: not a HAR 1.2 field (custom fields start with _)',
    ]);
    // Sums are checked once the structure holds.
    const sums = json(har);
    sums.log.entries[3]!.time += 1;
    expect(checkHar12(sums)).toEqual(['har.log.entries[3].time: 4.5 is not the sum of the timings (3.5)']);
  });

  it('request line, URL, version, query with repeated keys, cookies', () => {
    expect(query!.startedDateTime).toBe('2025-03-14T09:26:53.587Z');
    expect(query!.request).toMatchObject({
      method: 'GET',
      url: 'http://shop.localhost:8080/search?tag=a&tag=b&q=red+shoes&empty=&flag',
      httpVersion: 'HTTP/1.1',
    });
    expect(post!.request.httpVersion).toBe('HTTP/2');
    expect(query!.request.queryString).toEqual([
      { name: 'tag', value: 'a' },
      { name: 'tag', value: 'b' },
      { name: 'q', value: 'red shoes' },
      { name: 'empty', value: '' },
      { name: 'flag', value: '' },
    ]);
    expect(query!.request.cookies).toEqual([
      { name: 'session', value: 'abc' },
      { name: 'theme', value: 'dark' },
      { name: 'split', value: 'h2=yes' },
    ]);
    expect(query!.response.cookies).toEqual([
      { name: 'seen', value: '1', path: '/', expires: new Date(T0 + 12.25 + 60_000).toISOString(), httpOnly: true, secure: true, _sameSite: 'Lax' },
      { name: 'old', value: '', expires: '1970-01-01T00:00:00.000Z', domain: 'shop.localhost' },
    ]);
    expect(query!.request.headers).toEqual([
      { name: 'Host', value: 'shop.localhost:8080' },
      { name: 'Cookie', value: 'session=abc; theme=dark' },
      { name: 'cookie', value: 'split=h2=yes' },
    ]);
  });

  it('decoded text content with compression, redirect, status text', () => {
    expect(query!.response).toMatchObject({ status: 200, statusText: 'OK', redirectURL: '', headersSize: -1, bodySize: 10 });
    const size = Buffer.byteLength(page);
    expect(query!.response.content).toEqual({ size, compression: size - 10, mimeType: 'text/html; charset=utf-8', text: page });
    expect(post!.response).toMatchObject({ status: 201, statusText: 'Created', redirectURL: '/api/items/7' });
  });

  it('form post data with params; truncated text content cut at a whole character and marked', () => {
    expect(post!.request.postData).toEqual({
      mimeType: 'application/x-www-form-urlencoded',
      text: 'name=a+b&tag=x&tag=y',
      params: [
        { name: 'name', value: 'a b' },
        { name: 'tag', value: 'x' },
        { name: 'tag', value: 'y' },
      ],
    });
    expect(post!.request.bodySize).toBe(21);
    expect(post!.response.content).toEqual({ size: 40_000, mimeType: 'application/json', text: '{"name":"€' });
    expect(post!._portico.truncated).toEqual({ request: false, response: true });
  });

  it('binary bodies as base64: _encoding on postData, encoding on content', () => {
    expect(bin!.request.postData).toEqual({ mimeType: 'application/octet-stream', text: b64(Buffer.from([0, 0xff, 0xfe, 0x80])), _encoding: 'base64' });
    expect(bin!.request.bodySize).toBe(5_000_000);
    expect(bin!._portico.truncated).toEqual({ request: true, response: false });
    expect(bin!.response.content).toEqual({ size: png.length, mimeType: 'image/png', text: png.toString('base64'), encoding: 'base64' });
  });

  it('timings: HAR phases from connected/firstByte/end, time is their sum', () => {
    expect(query!.timings).toEqual({ blocked: -1, dns: -1, connect: 1.5, send: 0, wait: 10.75, receive: 1.75, ssl: -1 });
    expect(query!.time).toBe(14);
    expect(fail!.timings).toEqual({ blocked: -1, dns: -1, connect: -1, send: 0, wait: 3.5, receive: 0, ssl: -1 });
    expect(fail!.time).toBe(3.5);
    expect(fail!.response).toMatchObject({ status: 0, statusText: '', _error: 'connect ECONNREFUSED 127.0.0.1:3000' });
    expect(fail!.response.content).toEqual({ size: 0, mimeType: 'x-unknown' });
  });

  it.each([
    [{}, 0],
    [{ connected: 2 }, 2],
    [{ firstByte: 5 }, 5],
    [{ connected: 2, end: 9 }, 9],
    [{ connected: 2, firstByte: 1, end: 9 }, 9],
    [{ connected: 2, firstByte: 7, end: 6 }, 7],
    [{ connected: 0.1, firstByte: 0.3, end: 0.7000000000000001 }, 0.7],
  ])('timings %j → time %d, every phase non-negative', (timings, time) => {
    const entry = toHar([{ exchange: exchange('t', { timings }) }], CREATOR).log.entries[0]!;
    expect(entry.time).toBe(time);
    expect(checkHar12({ log: { version: '1.2', creator: CREATOR, entries: [json(entry)] } })).toEqual([]);
  });

  it.each([
    ['no type, clean text', undefined, Buffer.from('plain\ttext\r\n'), { text: 'plain\ttext\r\n' }],
    ['no type, control bytes', undefined, Buffer.from([0x68, 0x01, 0x69]), { text: 'aAFp', encoding: 'base64' }],
    ['text type, invalid UTF-8', 'text/plain', Buffer.from([0x61, 0xc3, 0x28]), { text: 'YcMo', encoding: 'base64' }],
    ['a BOM survives', 'application/json', Buffer.from('\ufeff{}'), { text: '\ufeff{}' }],
    ['+json suffix', 'application/problem+json', Buffer.from('{"a":1}'), { text: '{"a":1}' }],
  ])('content text vs base64: %s', (_name, contentType, bytes, expected) => {
    const x = exchange('c', { response: { size: bytes.length, captured: bytes.length, truncated: false } });
    const entry = toHar([{ exchange: x, response: body(bytes, contentType ? { contentType } : {}) }], CREATOR).log.entries[0]!;
    expect(entry.response.content).toMatchObject(expected);
    const back = fromHar(json({ log: { entries: [entry] } }))[0]!;
    expect(Buffer.from(back.response!.raw, 'base64')).toEqual(bytes);
  });

  it('WebSocket exchanges: ws(s) URL, _resourceType, Chrome-style _webSocketMessages', () => {
    expect(ws!.request.url).toBe('wss://shop.localhost/_hmr');
    expect(ws!._resourceType).toBe('websocket');
    expect(ws!._webSocketMessages).toEqual([
      { type: 'send', time: (T0 + 3.123) / 1000, opcode: 1, data: 'hello' },
      { type: 'receive', time: (T0 + 10) / 1000, opcode: 2, data: b64(Buffer.alloc(8, 7)), _size: 1 << 20, _truncated: true },
      { type: 'send', time: (T0 + 20) / 1000, opcode: 9, data: b64('ping') },
      { type: 'receive', time: (T0 + 60_000) / 1000, opcode: 8, data: 'bye', _size: 5 },
    ]);
    expect(query).not.toHaveProperty('_webSocketMessages');
  });

  it('_portico keeps what HAR has no place for', () => {
    expect(query!._portico).toEqual({
      id: 'q',
      client: '127.0.0.1',
      state: 'done',
      route: 'shop.localhost',
      target: 'http://127.0.0.1:3000',
      marks: { cache: 'MISS', encoding: 'gzip' },
      truncated: { request: false, response: false },
    });
    expect(fail!._portico).toMatchObject({ state: 'failed', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:3000' } });
  });
});

describe('fromHar', () => {
  it('round-trips our own export: export → import → export is stable', () => {
    const first = json(toHar(sample, CREATOR));
    const imported = fromHar(first);
    const again = toHar(
      imported.map((item, i) => ({ ...item, exchange: { ...item.exchange, id: sample[i]!.exchange.id } })),
      CREATOR,
    );
    expect(json(again)).toEqual(first);
  });

  it('restores the exchange fields an export carries', () => {
    const [query, post, bin, fail, ws] = fromHar(json(toHar(sample, CREATOR)));
    const { id: _id, ...original } = sample[0]!.exchange;
    expect(query!.exchange).toEqual({ ...original, response: { size: 10, captured: Buffer.byteLength(page), truncated: false } });
    // HAR holds decoded content only: it comes back as raw, with no encoding.
    expect(query!.response).toEqual({ raw: b64(page), size: 10, truncated: false, contentType: 'text/html; charset=utf-8' });
    expect(post!.request).toEqual({ raw: b64('name=a+b&tag=x&tag=y'), size: 21, truncated: false, contentType: 'application/x-www-form-urlencoded' });
    expect(post!.response).toMatchObject({ raw: b64('{"name":"€'), size: 40_000, truncated: true });
    expect(bin!.request).toEqual({ raw: b64(Buffer.from([0, 0xff, 0xfe, 0x80])), size: 5_000_000, truncated: true, contentType: 'application/octet-stream' });
    expect(Buffer.from(bin!.response!.raw, 'base64')).toEqual(png);
    expect(fail!.exchange).toMatchObject({ state: 'failed', timings: { end: 3.5 }, error: sample[3]!.exchange.error });
    expect(fail!.exchange).not.toHaveProperty('status');
    expect(ws!.exchange).toMatchObject({ kind: 'websocket', scheme: 'https', url: '/_hmr', messageCount: 4, timings: { connected: 0.8, firstByte: 2.123 } });
    expect(ws!.messages).toEqual(sample[4]!.messages!.map((m) => ({ ...m, at: Math.round(m.at * 1000) / 1000 })));
  });

  it('imports a Chrome export: h2, brotli page, form post, image, failed fetch, WebSocket', () => {
    const items = fromHar(fixture('chrome-134.har'));
    expect(items).toHaveLength(5);
    const [doc, post, img, failed, ws] = items;
    expect(doc!.exchange).toMatchObject({
      kind: 'http',
      scheme: 'https',
      httpVersion: '2.0',
      method: 'GET',
      host: 'shop.localhost',
      url: '/products?tag=a&tag=b&q=red%20shoes',
      status: 200,
      state: 'done',
      client: '',
    });
    expect(doc!.exchange.startedAt).toBe(T0);
    expect(doc!.exchange.timings).toEqual({ connected: 16.914, firstByte: 279.464, end: 281.464 });
    expect(doc!.exchange.response).toEqual({
      size: 402,
      captured: Buffer.byteLength('<!doctype html><title>Products</title><h1>Red shoes</h1>'),
      truncated: false,
    });
    expect(doc!.response).toMatchObject({ contentType: 'text/html' });
    expect(post!.request).toMatchObject({ raw: b64('sku=42&qty=2&note=a+b'), contentType: 'application/x-www-form-urlencoded' });
    expect(post!.exchange).toMatchObject({
      status: 303,
      responseHeaders: [
        ['location', '/cart/view'],
        ['content-length', '0'],
      ],
    });
    expect(post!.exchange.timings).toEqual({ firstByte: 9, end: 9.5 });
    expect(img!.response!.raw).toBe(b64(png));
    expect(failed!.exchange).toMatchObject({
      state: 'failed',
      scheme: 'http',
      host: 'api.shop.localhost:8080',
      httpVersion: '1.1',
      error: { code: 'net::ERR_CONNECTION_REFUSED' },
    });
    expect(failed!.exchange).not.toHaveProperty('status');
    expect(ws!.exchange).toMatchObject({ kind: 'websocket', scheme: 'https', url: '/_hmr?token=abc', status: 101, messageCount: 3 });
    expect(ws!.messages).toEqual([
      { direction: 'client', at: 100, size: 20, opcode: 'text', preview: '{"type":"subscribe"}', previewTruncated: false },
      { direction: 'server', at: 125, size: 39, opcode: 'text', preview: '{"type":"update","path":"/src/App.tsx"}', previewTruncated: false },
      { direction: 'server', at: 600, size: 4, opcode: 'binary', preview: b64(Buffer.from([0, 1, 2, 255])), previewTruncated: false },
    ]);
    expect(
      checkHar12(
        json(
          toHar(
            items.map((it, i) => ({ ...it, exchange: { ...it.exchange, id: `c${i}` } })),
            CREATOR,
          ),
        ),
      ),
    ).toEqual([]);
  });

  it.each(['chrome-134.har', 'firefox-136.har'])('%s: import → export → import → export is stable', (name) => {
    const withIds = (items: ReturnType<typeof fromHar>) => items.map((it, i) => ({ ...it, exchange: { ...it.exchange, id: `e${i}` } }));
    const first = json(toHar(withIds(fromHar(fixture(name))), CREATOR));
    expect(checkHar12(first)).toEqual([]);
    expect(json(toHar(withIds(fromHar(first)), CREATOR))).toEqual(first);
  });

  it('imports a Firefox export: HTTP/2 JSON post, offset timestamps, 304 from cache', () => {
    const [post, notModified] = fromHar(fixture('firefox-136.har'));
    expect(post!.exchange).toMatchObject({ httpVersion: '2.0', method: 'POST', host: 'api.shop.test', url: '/v1/orders?dry_run=1', status: 201 });
    expect(post!.exchange.startedAt).toBe(T0);
    expect(Buffer.from(post!.request!.raw, 'base64').toString()).toBe('{"sku":42,"note":"café"}');
    expect(post!.exchange.request).toEqual({ size: 25, captured: 25, truncated: false });
    expect(post!.exchange.timings).toEqual({ connected: 0, firstByte: 41, end: 42 });
    expect(notModified!.exchange).toMatchObject({ scheme: 'http', httpVersion: '1.1', status: 304, timings: { connected: 6, firstByte: 11, end: 11 } });
    // bodySize -1 (from cache): the content size stands in.
    expect(notModified!.exchange.response).toEqual({ size: 0, captured: 0, truncated: false });
  });

  it('refuses a broken HAR naming the entry and field', () => {
    const doc = json(toHar(sample.slice(0, 3), CREATOR)) as unknown as { log: { entries: Record<string, Record<string, unknown>>[] } };
    delete doc.log.entries[1]!.request!.url;
    doc.log.entries[2]!.response!.status = 'ok';
    doc.log.entries[2]!.startedDateTime = 'yesterday' as never;
    expect(() => fromHar(doc)).toThrow(HarImportError);
    try {
      fromHar(doc);
    } catch (error) {
      expect((error as HarImportError).issues).toEqual([
        'log.entries[1].request.url: is required',
        'log.entries[2].startedDateTime: is not a date (ISO 8601 expected)',
        'log.entries[2].response.status: Invalid input: expected number, received string',
      ]);
      expect((error as Error).message).toContain('log.entries[1].request.url: is required');
    }
    expect(() => fromHar({ entries: [] })).toThrow('log: is required');
    expect(() => fromHar('not json')).toThrow(HarImportError);
  });

  it('skips entries it cannot represent, and says so', () => {
    const doc = json(toHar(sample.slice(0, 1), CREATOR));
    const foreign = { ...doc.log.entries[0]!, request: { ...doc.log.entries[0]!.request, url: 'chrome-extension://abc/popup.html' } };
    doc.log.entries.push(foreign);
    const skipped: [number, string][] = [];
    expect(fromHar(doc, { onSkip: (i, why) => skipped.push([i, why]) })).toHaveLength(1);
    expect(skipped).toEqual([[1, 'not an http(s) or ws(s) URL: chrome-extension://abc/popup.html']]);
  });

  it('tolerates missing optional parts (no timings, content, cookies, httpVersion)', () => {
    const [item] = fromHar({
      log: {
        entries: [
          {
            startedDateTime: '2025-03-14T09:26:53.587Z',
            time: 12,
            request: { method: 'GET', url: 'http://a.localhost', headers: [] },
            response: { status: 204, headers: [] },
          },
        ],
      },
    });
    expect(item!.exchange).toMatchObject({ url: '/', host: 'a.localhost', httpVersion: '1.1', status: 204, timings: { firstByte: 12, end: 12 } });
    expect(item).not.toHaveProperty('response');
  });
});
