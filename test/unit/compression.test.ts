// The compression switch's rules as tables: negotiation, eligibility, media types, headers.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ContentEncoding } from '../../proxy-core/contract/index.js';
import {
  addVary,
  compressionPlan,
  encodedHeaders,
  HAS_ZSTD,
  isCompressibleType,
  negotiateEncoding,
  skipReason,
} from '../../proxy-core/engine/compression/encoding-rules.js';

const ALL: ContentEncoding[] = ['br', 'zstd', 'gzip'];

describe('negotiateEncoding', () => {
  const cases: [header: string | undefined, offered: ContentEncoding[], expected: ContentEncoding | undefined][] = [
    [undefined, ALL, undefined], // no header: identity, as nginx does
    ['', ALL, undefined],
    ['identity', ALL, undefined],
    ['gzip', ALL, 'gzip'],
    ['br', ALL, 'br'],
    ['zstd', ALL, 'zstd'],
    ['GZip', ALL, 'gzip'],
    ['x-gzip', ALL, 'gzip'],
    ['gzip, deflate, br', ALL, 'br'], // a browser's header: equal q, the server's order decides
    ['gzip, deflate, br, zstd', ALL, 'br'],
    ['gzip, deflate, br, zstd', ['zstd', 'gzip'], 'zstd'],
    ['gzip;q=1.0, br;q=0.5', ALL, 'gzip'], // q beats server preference
    ['br;q=0.2, gzip;q=0.8, zstd;q=0.5', ALL, 'gzip'],
    ['br;q=0, gzip', ALL, 'gzip'], // q=0 refuses
    ['br;q=0', ALL, undefined],
    ['gzip;q=0.000', ALL, undefined],
    ['*', ALL, 'br'],
    ['*;q=0.5, gzip', ALL, 'gzip'],
    ['*, br;q=0', ALL, 'zstd'],
    ['*;q=0', ALL, undefined],
    ['identity;q=1, gzip;q=0.5', ALL, undefined], // identity preferred
    ['identity;q=0.5, gzip', ALL, 'gzip'],
    ['identity;q=0, *;q=0', ALL, undefined],
    ['deflate, compress', ALL, undefined], // nothing we offer
    ['gzip', ['br'], undefined],
    ['gzip ; q = 0.7 , br ; q=0.6', ALL, 'gzip'], // whitespace around parameters
    ['gzip;q=2', ALL, 'gzip'], // malformed q: ignored, so the default 1
    ['br;q=0.5, br;q=0.9, gzip;q=0.8', ALL, 'br'], // a repeat keeps its best rating
  ];
  it.each(cases)('%j offering %j → %s', (header, offered, expected) => {
    expect(negotiateEncoding(header, offered)).toBe(expected);
  });
});

describe('isCompressibleType', () => {
  const cases: [string | undefined, boolean][] = [
    ['text/html; charset=utf-8', true],
    ['text/event-stream', true],
    ['TEXT/CSS', true],
    ['application/json', true],
    ['application/problem+json', true],
    ['application/javascript', true],
    ['application/wasm', true],
    ['image/svg+xml', true],
    ['application/atom+xml', true],
    ['font/ttf', true],
    ['image/png', false],
    ['image/webp', false],
    ['video/mp4', false],
    ['application/zip', false],
    ['application/octet-stream', false],
    ['font/woff2', false], // already compressed
    [undefined, false],
    ['', false],
  ];
  it.each(cases)('%s → %s', (type, expected) => expect(isCompressibleType(type)).toBe(expected));
});

describe('skipReason', () => {
  const base = { 'content-type': 'text/html' };
  const cases: [method: string, status: number, headers: IncomingHttpHeaders, reason: string | undefined][] = [
    ['GET', 200, base, undefined],
    ['GET', 200, { ...base, 'content-length': '1024' }, undefined],
    ['GET', 200, { ...base, 'content-length': '1023' }, 'small'],
    ['POST', 201, base, undefined],
    ['GET', 404, base, undefined], // error pages compress like any page
    ['HEAD', 200, base, 'HEAD'],
    ['GET', 204, base, 'status 204'],
    ['GET', 304, base, 'status 304'],
    ['GET', 206, { ...base, 'content-range': 'bytes 0-9/100' }, 'status 206'],
    ['GET', 200, { ...base, 'content-range': 'bytes */100' }, 'range'],
    ['GET', 200, { ...base, 'content-encoding': 'gzip' }, 'already encoded'],
    ['GET', 200, { ...base, 'content-encoding': 'identity' }, undefined],
    ['GET', 200, { ...base, 'cache-control': 'public, no-transform' }, 'no-transform'],
    ['GET', 200, { ...base, 'cache-control': 'No-Transform' }, 'no-transform'],
    ['GET', 200, { ...base, 'cache-control': 'max-age=60' }, undefined],
    ['GET', 200, { 'content-type': 'image/jpeg' }, 'type'],
    ['GET', 200, {}, 'type'],
  ];
  it.each(cases)('%s %i %j → %s', (method, status, headers, reason) => {
    expect(skipReason(method, status, headers, 1024)).toBe(reason);
  });
});

describe('response headers', () => {
  it.each([
    [undefined, 'Accept-Encoding'],
    ['', 'Accept-Encoding'],
    ['Origin', 'Origin, Accept-Encoding'],
    ['origin, accept-encoding', 'origin, accept-encoding'],
    ['*', '*'],
  ])('Vary %j becomes %j', (vary, expected) => {
    const headers: IncomingHttpHeaders = vary === undefined ? {} : { vary };
    addVary(headers);
    expect(headers.vary).toBe(expected);
  });

  it('the encoded representation has no length or ranges, and a weak ETag', () => {
    const headers: IncomingHttpHeaders = { 'content-length': '5000', 'accept-ranges': 'bytes', etag: '"abc"' };
    encodedHeaders(headers, 'br');
    expect(headers).toEqual({ 'content-encoding': 'br', etag: 'W/"abc"' });
    const weak: IncomingHttpHeaders = { etag: 'W/"abc"' };
    encodedHeaders(weak, 'gzip');
    expect(weak.etag).toBe('W/"abc"');
  });
});

describe('compressionPlan', () => {
  it('is undefined when off, and keeps the route order of what the runtime has', () => {
    expect(compressionPlan(undefined)).toBeUndefined();
    expect(compressionPlan(false)).toBeUndefined();
    expect(compressionPlan(true)).toEqual({ threshold: 1024, encodings: HAS_ZSTD ? ALL : ['br', 'gzip'] });
    expect(compressionPlan({ threshold: 0, encodings: ['gzip', 'br'] })).toEqual({ threshold: 0, encodings: ['gzip', 'br'] });
  });
});
