// What a HAR export leaves out unless the user asks for "sensitive data": the rule, in one
// place. HAR files get attached to bug reports, so by default (as Chrome DevTools does since
// version 130) credentials are taken out: the values of the headers that carry them, the
// parsed cookie lists, and Portico's own LAN-sharing token wherever a URL carries it.
// Header NAMES stay, with a placeholder value, so a reader sees the request was authenticated.
// Bodies are not scanned: a password in a form post stays (README says so).
import { TOKEN_PARAM } from '../engine/lan-access.js';
import type { Har, HarEntry, HarNameValue } from './har-types.js';

export const REDACTED = '[redacted by Portico]';

/**
 * Headers whose whole value is a credential (lower case). Short on purpose: the standard
 * ones (RFC 9110 / RFC 6265) and the two common API-key spellings. Portico's LAN token
 * travels in `Authorization: Bearer` or its `portico-lan` cookie, both covered here.
 */
export const SENSITIVE_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token'];

/** Query parameters taken out of every URL: Portico's LAN token (see engine/lan-access.ts). */
export const SENSITIVE_QUERY_PARAMS: readonly string[] = [TOKEN_PARAM];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// `?name=value` or `&name=value` inside any text (a URL, a Referer, an HTTP/2 `:path`), up to
// the next `&`, `#` or whitespace; the following `&` is captured so the separator survives.
const PARAM_IN_URL = new RegExp(`([?&])(?:${SENSITIVE_QUERY_PARAMS.map(escape).join('|')})=[^&#\\s]*(&?)`, 'gi');

/** The text with the sensitive query parameters removed, the other parameters as they were. */
export function withoutTokenParams(text: string): string {
  if (!text.includes('=')) return text;
  // `?t=x&a=1` → `?a=1`, `?a=1&t=x` → `?a=1`, `?t=x` → ``: keep the separator only if one follows.
  return text.replace(PARAM_IN_URL, (_match, separator: string, next: string) => (next ? separator : ''));
}

function sanitizeHeader({ name, value }: HarNameValue): HarNameValue {
  if (SENSITIVE_HEADERS.includes(name.toLowerCase())) return { name, value: REDACTED };
  return { name, value: withoutTokenParams(value) };
}

const sensitiveParam = (name: string) => SENSITIVE_QUERY_PARAMS.includes(name.toLowerCase());

function sanitizeEntry(entry: HarEntry): HarEntry {
  const { request, response } = entry;
  return {
    ...entry,
    request: {
      ...request,
      url: withoutTokenParams(request.url),
      cookies: [],
      headers: request.headers.map(sanitizeHeader),
      queryString: request.queryString.filter((q) => !sensitiveParam(q.name)),
    },
    response: {
      ...response,
      cookies: [],
      headers: response.headers.map(sanitizeHeader),
      redirectURL: withoutTokenParams(response.redirectURL),
    },
  };
}

const list = (names: readonly string[]) => names.join(', ');

/** What the log's `comment` says, so whoever opens the file knows what is (not) in it. */
export const SANITIZED_COMMENT =
  `Sanitized by Portico: values of the headers ${list(SENSITIVE_HEADERS)} replaced by "${REDACTED}", ` +
  `cookie lists emptied, query parameter ${list(SENSITIVE_QUERY_PARAMS)} removed from URLs. Bodies are not scanned.`;
export const SENSITIVE_COMMENT = 'Exported by Portico with sensitive data: headers, cookies and URLs as captured, credentials included.';

/** A copy of the HAR with credentials taken out (the input is left as it was). */
export function sanitizeHar(har: Har): Har {
  return { log: { ...har.log, comment: SANITIZED_COMMENT, entries: har.log.entries.map(sanitizeEntry) } };
}

/** The full HAR, its comment warning that it holds credentials. */
export function markSensitive(har: Har): Har {
  return { log: { ...har.log, comment: SENSITIVE_COMMENT } };
}
