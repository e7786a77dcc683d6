// The HAR export's sanitizer: which header values become the placeholder, where Portico's
// LAN token is cut out of URLs, and that the result is still valid HAR that imports.
import { describe, expect, it } from 'vitest';
import { fromHar, toHar } from '../../proxy-core/capture/har.js';
import {
  markSensitive,
  REDACTED,
  sanitizeHar,
  SANITIZED_COMMENT,
  SENSITIVE_COMMENT,
  URL_REDACTED,
  withoutCredentialParams,
} from '../../proxy-core/capture/har-sanitize.js';
import { checkHar12 } from '../fixtures/har/check-har12.js';
import { body, CREATOR, exchange, json, sample } from '../fixtures/har/sample.js';

const BASIC = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
const TOKEN = 'f00dfacecafe0123456789abcdef';

describe("withoutCredentialParams: Portico's token", () => {
  it.each([
    ['first of several', `/a?portico-token=${TOKEN}&b=1`, '/a?b=1'],
    ['last of several', `/a?b=1&portico-token=${TOKEN}`, '/a?b=1'],
    ['in the middle', `/a?b=1&portico-token=${TOKEN}&c=2`, '/a?b=1&c=2'],
    ['alone', `/a?portico-token=${TOKEN}`, '/a'],
    ['before a fragment', `/a?portico-token=${TOKEN}#top`, '/a#top'],
    ['in an absolute URL (Referer)', `http://192.168.1.20:8700/?portico-token=${TOKEN}`, 'http://192.168.1.20:8700/'],
    ['any case', `/a?Portico-Token=${TOKEN}&b=1`, '/a?b=1'],
    ['empty value', '/a?portico-token=&b=1', '/a?b=1'],
    ['repeated', `/a?portico-token=1&b=1&portico-token=2`, '/a?b=1'],
    ['repeated side by side', `/a?portico-token=1&portico-token=2&b=1`, '/a?b=1'],
    ['other parameters kept byte for byte', '/a?q=red+shoes&x=%2F&flag', '/a?q=red+shoes&x=%2F&flag'],
    ['a look-alike name is not ours', `/a?my-portico-token=${TOKEN}&b=1`, `/a?my-portico-token=${TOKEN}&b=1`],
    ['no query', '/portico-token=x', '/portico-token=x'],
  ])('%s', (_what, input, expected) => {
    expect(withoutCredentialParams(input)).toBe(expected);
  });
});

describe('withoutCredentialParams: credentials in query parameters keep their name, lose their value', () => {
  const R = URL_REDACTED;
  it.each([
    ['an OAuth callback', '/callback?code=4%2F0AX4XfWh&state=xyz', `/callback?code=${R}&state=xyz`],
    [
      'an implicit-flow token (Referer)',
      'http://app.localhost/?access_token=ya29.a0&expires_in=3599',
      `http://app.localhost/?access_token=${R}&expires_in=3599`,
    ],
    [
      'PKCE and a client secret',
      '/token?code_verifier=abc&client_secret=shh&grant_type=authorization_code',
      `/token?code_verifier=${R}&client_secret=${R}&grant_type=authorization_code`,
    ],
    [
      'a signed S3 URL',
      '/o.png?X-Amz-Credential=AKIA%2F&X-Amz-Signature=9f3a&X-Amz-Expires=300',
      `/o.png?X-Amz-Credential=${R}&X-Amz-Signature=${R}&X-Amz-Expires=300`,
    ],
    ['repeated side by side', '/a?token=1&token=2', `/a?token=${R}&token=${R}`],
    ['last, before a fragment', '/a?b=1&api_key=k#top', `/a?b=1&api_key=${R}#top`],
    ['a longer name that starts like one', '/a?codex=1&signature_version=4&tokens=3', '/a?codex=1&signature_version=4&tokens=3'],
    ['in the path, not the query', '/code=1/token=2', '/code=1/token=2'],
    ["together with Portico's token", `/a?portico-token=${TOKEN}&code=1`, `/a?code=${R}`],
  ])('%s', (_what, input, expected) => {
    expect(withoutCredentialParams(input)).toBe(expected);
  });
});

describe('sanitizeHar', () => {
  const item = {
    exchange: exchange('lan', {
      scheme: 'http',
      httpVersion: '1.1',
      host: 'shop.localhost',
      url: `/cart?portico-token=${TOKEN}&page=2&code=oauth-code-789`,
      requestHeaders: [
        ['Host', 'shop.localhost'],
        [':path', `/cart?portico-token=${TOKEN}&page=2&code=oauth-code-789`],
        ['Authorization', BASIC],
        ['proxy-authorization', 'Basic cHJveHk6cHc='],
        ['Cookie', `portico-lan=${TOKEN}; session=abc`],
        ['X-API-Key', 'key-123'],
        ['x-auth-token', 'tok-456'],
        ['Referer', `http://shop.localhost/?portico-token=${TOKEN}`],
        ['Accept', 'text/html'],
      ],
      responseHeaders: [
        ['Set-Cookie', `portico-lan=${TOKEN}; Path=/; HttpOnly`],
        ['Location', `/cart?page=2&portico-token=${TOKEN}`],
        ['Content-Type', 'text/plain'],
      ],
      status: 303,
      request: { size: 13, captured: 13, truncated: false },
    }),
    request: body('password=hunt', { contentType: 'application/x-www-form-urlencoded' }),
  };
  const full = toHar([item], CREATOR);
  const clean = sanitizeHar(full);
  const entry = clean.log.entries[0]!;
  const value = (headers: { name: string; value: string }[], name: string) => headers.find((h) => h.name === name)?.value;

  it.each([
    ['Authorization', REDACTED],
    ['proxy-authorization', REDACTED],
    ['Cookie', REDACTED],
    ['X-API-Key', REDACTED],
    ['x-auth-token', REDACTED],
    ['Referer', 'http://shop.localhost/'],
    [':path', `/cart?page=2&code=${URL_REDACTED}`],
    ['Host', 'shop.localhost'],
    ['Accept', 'text/html'],
  ])('request header %s → %s', (name, expected) => {
    expect(value(entry.request.headers, name)).toBe(expected);
  });

  it.each([
    ['Set-Cookie', REDACTED],
    ['Location', '/cart?page=2'],
    ['Content-Type', 'text/plain'],
  ])('response header %s → %s', (name, expected) => {
    expect(value(entry.response.headers, name)).toBe(expected);
  });

  it('keeps every header name in its place, empties the cookie lists, cuts the token from the URL and query', () => {
    expect(entry.request.headers.map((h) => h.name)).toEqual(full.log.entries[0]!.request.headers.map((h) => h.name));
    expect(full.log.entries[0]!.request.cookies).not.toEqual([]);
    expect(entry.request.cookies).toEqual([]);
    expect(entry.response.cookies).toEqual([]);
    expect(entry.request.url).toBe(`http://shop.localhost/cart?page=2&code=${URL_REDACTED}`);
    expect(entry.request.queryString).toEqual([
      { name: 'page', value: '2' },
      { name: 'code', value: REDACTED },
    ]);
    expect(entry.response.redirectURL).toBe('/cart?page=2');
  });

  it('leaves no credential anywhere in the file, keeps bodies, says what it did', () => {
    const text = JSON.stringify(clean);
    for (const secret of [Buffer.from('alice:s3cret').toString('base64'), 'cHJveHk6cHc=', TOKEN, 'key-123', 'tok-456', 'session=abc', 'oauth-code-789']) {
      expect(text).not.toContain(secret);
    }
    expect(entry.request.postData?.text).toBe('password=hunt');
    expect(clean.log.comment).toBe(SANITIZED_COMMENT);
    expect(SANITIZED_COMMENT).toContain('authorization');
    expect(SANITIZED_COMMENT).toContain('portico-token');
    expect(SANITIZED_COMMENT).toContain('access_token');
  });

  it('does not touch its input; the sensitive export is the full HAR with its own comment', () => {
    expect(JSON.stringify(full)).toContain(TOKEN);
    expect(full.log).not.toHaveProperty('comment');
    const sensitive = markSensitive(full);
    expect(sensitive.log.entries).toEqual(full.log.entries);
    expect(sensitive.log.comment).toBe(SENSITIVE_COMMENT);
  });

  it('is valid HAR 1.2 and imports: a placeholder is just a header value', () => {
    const sanitized = json(sanitizeHar(toHar(sample, CREATOR)));
    expect(checkHar12(sanitized)).toEqual([]);
    const [first] = fromHar(json(clean));
    expect(first!.exchange.requestHeaders).toContainEqual(['Authorization', REDACTED]);
    expect(first!.exchange.url).toBe(`/cart?page=2&code=${URL_REDACTED}`);
    expect(fromHar(sanitized)).toHaveLength(sample.length);
  });
});
