// Path deny rules: prefixes with the route's boundary rule ("/admin" covers /admin/x, not
// /administrator) and regular expressions. Both test the path as the backend will most
// likely read it — percent-escapes decoded, dot segments resolved — so "/%61dmin" or
// "/x/../admin" does not slip past a rule for "/admin".
import { underPrefix } from '../http/path-prefix.js';

export type DenyRule = string | { regex: string };

export interface CompiledDeny {
  /** The rule that refuses `path`, as written, or undefined. */
  match(url: string): string | undefined;
}

/** The path part of a request target, decoded and normalised. */
export function normalisePath(url: string): string {
  const q = url.search(/[?#]/);
  const raw = q < 0 ? url : url.slice(0, q);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: test the path as sent; the backend will likely refuse it anyway.
  }
  // "?" and "#" that were escaped stay part of the path; a leading "//" would read as an
  // authority. The URL parser then resolves "." and ".." (and a backslash as "/", like many servers).
  const path = decoded.replace(/[?#]/g, encodeURIComponent).replace(/^\/*/, '/');
  return new URL(`http://x${path}`).pathname;
}

/** The path is normalised (no query), so the route prefixes' rule applies as it is. */
function prefixCovers(prefix: string, path: string): boolean {
  const p = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
  return p === '/' || underPrefix(p, path);
}

export function compileDeny(rules: readonly DenyRule[]): CompiledDeny {
  const compiled = rules.map((rule) =>
    typeof rule === 'string'
      ? { text: rule, test: (path: string) => prefixCovers(rule, path) }
      : { text: `regex ${rule.regex}`, test: RegExp.prototype.test.bind(new RegExp(rule.regex)) },
  );
  return {
    match(url) {
      const path = normalisePath(url);
      return compiled.find((rule) => rule.test(path))?.text;
    },
  };
}
