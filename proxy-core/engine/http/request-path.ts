// The one path a request is judged and forwarded on. http-proxy-3 builds the upstream
// path with the URL parser (`new URL(req.url, base)` in its getPath), which resolves
// `.`/`..` segments (also `%2e%2e`) and reads `\` as `/`. Routing on the raw target would
// let `/x/../admin` match an open route while the backend receives `/admin`. So the path
// is put in that parser's form once, before routing: route match, LAN sharing, auth,
// firewall, rewrites, cache key and the backend all see the same string, and http-proxy-3's
// own pass over it changes nothing (the parser's output reads back as itself).
const BASE = 'http://base.invalid';

// A target made only of characters the parser keeps as they are, with no dot segment:
// nearly every request, spared the parser.
const PLAIN_PATH = /^\/(?!\/)[\w\-.~!$&'()*+,;=:@/]*$/;
const PLAIN_QUERY = /^[\w\-.~!$&()*+,;=:@/?%]*$/;

function isPlain(url: string): boolean {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!PLAIN_PATH.test(path) || path.includes('/.')) return false;
  return q === -1 || PLAIN_QUERY.test(url.slice(q + 1));
}

/**
 * The origin-form target as it will be forwarded, or undefined when it is not a path at
 * all: the parser reads `/\evil.example/x` as a host name, and no backend should be
 * handed that guess.
 */
export function forwardedPath(url: string): string | undefined {
  if (isPlain(url)) return url;
  let parsed: URL;
  try {
    // Same special case as http-proxy-3: a leading "//" is a path, not an authority.
    parsed = url.startsWith('//') ? new URL(BASE + url) : new URL(url, BASE);
  } catch {
    return undefined;
  }
  if (parsed.origin !== BASE) return undefined;
  return parsed.pathname + parsed.search;
}
