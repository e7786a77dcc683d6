// What a HAR export leaves out unless the user asks for "sensitive data": the rule, in one
// place. HAR files get attached to bug reports, so by default (as Chrome DevTools does since
// version 130) credentials are taken out: the values of the headers that carry them, the
// parsed cookie lists, Portico's own LAN-sharing token wherever a URL carries it, and the
// values of the query parameters that carry credentials (an OAuth callback's `code`, a
// signed URL's signature). Header and parameter NAMES stay, with a placeholder value, so a
// reader sees the request was authenticated.
// Bodies are not scanned: a password in a form post stays (README says so).
import { TOKEN_PARAM } from '../engine/lan/lan-access.js';
import type { Har, HarEntry, HarNameValue } from './har-types.js';

export const REDACTED = '[redacted by Portico]';

/**
 * Headers whose whole value is a credential (lower case). Short on purpose: the standard
 * ones (RFC 9110 / RFC 6265) and the two common API-key spellings. Portico's LAN token
 * travels in `Authorization: Bearer` or its `portico-lan` cookie, both covered here.
 */
export const SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token'];

/** Query parameters taken out of every URL: Portico's LAN token (see engine/lan/lan-access.ts). */
export const SENSITIVE_QUERY_PARAMS: readonly string[] = [TOKEN_PARAM];

/**
 * Query parameters whose value is a credential (lower case): OAuth 2.0 and OpenID Connect
 * (RFC 6749, 6750, 7636), the usual API-key and password spellings, and the signatures of
 * signed URLs (AWS S3, Azure SAS). Their values become URL_REDACTED; the names stay.
 */
export const CREDENTIAL_QUERY_PARAMS: readonly string[] = [
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'token',
  'api_key',
  'apikey',
  'password',
  'passwd',
  'signature',
  'sig',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
];

/** The placeholder inside a URL, where the header placeholder's spaces would need escaping. */
export const URL_REDACTED = 'redacted-by-portico';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `?name=value` or `&name=value` inside any text (a URL, a Referer, an HTTP/2 `:path`), up to
// the next `&`, `#` or whitespace. The token's pattern also takes the following `&`, so a
// removal can keep the separator; the credentials' leaves it, so `?code=1&code=2` has both.
const names = (list: readonly string[]) => list.map(escape).join('|');
const TOKEN_IN_URL = new RegExp(`([?&])(?:${names(SENSITIVE_QUERY_PARAMS)})=[^&#\\s]*(&?)`, 'gi');
const CREDENTIAL_IN_URL = new RegExp(`([?&])(${names(CREDENTIAL_QUERY_PARAMS)})=[^&#\\s]*`, 'gi');

/**
 * The text with Portico's token parameter removed and credential parameters' values
 * replaced; every other parameter as it was, byte for byte.
 */
export function withoutCredentialParams(text: string): string {
  if (!text.includes('=')) return text;
  // `?t=x&a=1` → `?a=1`, `?a=1&t=x` → `?a=1`, `?t=x` → ``: keep the separator only if one follows.
  // Again until nothing changes: a match took the `&` that a token right after it starts with.
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(TOKEN_IN_URL, (_match, separator: string, next: string) => (next ? separator : ''));
  }
  return text.replace(CREDENTIAL_IN_URL, (_match, separator: string, name: string) => `${separator}${name}=${URL_REDACTED}`);
}

function sanitizeHeader({ name, value }: HarNameValue): HarNameValue {
  if (SENSITIVE_HEADERS.includes(name.toLowerCase())) return { name, value: REDACTED };
  return { name, value: withoutCredentialParams(value) };
}

const sensitiveParam = (name: string) => SENSITIVE_QUERY_PARAMS.includes(name.toLowerCase());
const credentialParam = (param: HarNameValue): HarNameValue =>
  CREDENTIAL_QUERY_PARAMS.includes(param.name.toLowerCase()) ? { name: param.name, value: REDACTED } : param;

function sanitizeEntry(entry: HarEntry): HarEntry {
  const { request, response } = entry;
  return {
    ...entry,
    request: {
      ...request,
      url: withoutCredentialParams(request.url),
      cookies: [],
      headers: request.headers.map(sanitizeHeader),
      queryString: request.queryString.filter((q) => !sensitiveParam(q.name)).map(credentialParam),
    },
    response: {
      ...response,
      cookies: [],
      headers: response.headers.map(sanitizeHeader),
      redirectURL: withoutCredentialParams(response.redirectURL),
    },
  };
}

const list = (names: readonly string[]) => names.join(', ');

/** What the log's `comment` says, so whoever opens the file knows what is (not) in it. */
export const SANITIZED_COMMENT =
  `Sanitized by Portico: values of the headers ${list(SENSITIVE_HEADERS)} replaced by "${REDACTED}", ` +
  `cookie lists emptied, query parameter ${list(SENSITIVE_QUERY_PARAMS)} removed from URLs, values of query parameters ` +
  `${list(CREDENTIAL_QUERY_PARAMS)} replaced. Bodies are not scanned.`;
export const SENSITIVE_COMMENT = 'Exported by Portico with sensitive data: headers, cookies and URLs as captured, credentials included.';

/** A copy of the HAR with credentials taken out (the input is left as it was). */
export function sanitizeHar(har: Har): Har {
  return { log: { ...har.log, comment: SANITIZED_COMMENT, entries: har.log.entries.map(sanitizeEntry) } };
}

/** The full HAR, its comment warning that it holds credentials. */
export function markSensitive(har: Har): Har {
  return { log: { ...har.log, comment: SENSITIVE_COMMENT } };
}
