// Path rewriting as a route policy: stripPrefix, then the first matching regex rule, then
// addPrefix, on the path only (the query string rides along untouched). The capture keeps
// the URL the client asked for and marks the one the backend got.
//
// A backend behind a stripped or added prefix answers redirects in its own path space
// ("/login" for what the browser knows as "/api/login"); like nginx's default
// proxy_redirect, path-absolute Location headers are mapped back (addPrefix off,
// stripPrefix on). Absolute URLs and regex rewrites are left as they are: a regex cannot
// be run backwards.
import type { IncomingHttpHeaders } from 'node:http';
import type { Rewrite } from '../../contract/index.js';
import { underPrefix } from '../http/path-prefix.js';
import type { Stage, StageFactory } from '../stage.js';

interface CompiledRewrite {
  readonly stripPrefix: string | undefined;
  readonly addPrefix: string | undefined;
  readonly rules: readonly { match: RegExp; replace: string }[];
}

export function compileRewrite(rewrite: Rewrite): CompiledRewrite {
  return {
    stripPrefix: rewrite.stripPrefix,
    addPrefix: rewrite.addPrefix,
    rules: (rewrite.regex ?? []).map((r) => ({ match: new RegExp(r.match), replace: r.replace })),
  };
}

/** The rewritten request-target (path and query). */
export function rewritePath(url: string, rewrite: CompiledRewrite): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  if (rewrite.stripPrefix && underPrefix(rewrite.stripPrefix, path)) path = path.slice(rewrite.stripPrefix.length) || '/';
  const rule = rewrite.rules.find((r) => r.match.test(path));
  if (rule) path = path.replace(rule.match, rule.replace);
  if (!path.startsWith('/')) path = `/${path}`;
  if (rewrite.addPrefix) path = path === '/' ? rewrite.addPrefix : rewrite.addPrefix + path;
  return path + query;
}

/** A path-absolute Location from the backend, mapped back to the path the browser knows. */
export function restoreLocation(location: string, rewrite: CompiledRewrite): string {
  if (location.charCodeAt(0) !== 47 /* / */ || location.charCodeAt(1) === 47 /* //host */) return location;
  let path = location;
  if (rewrite.addPrefix) {
    if (!underPrefix(rewrite.addPrefix, path.split(/[?#]/, 1)[0]!)) return location;
    path = path.slice(rewrite.addPrefix.length);
    if (!path.startsWith('/')) path = `/${path}`;
  }
  if (rewrite.stripPrefix) path = path === '/' ? rewrite.stripPrefix : rewrite.stripPrefix + path;
  return path;
}

export function urlRewritePolicy(rewrite: Rewrite): Stage | undefined {
  const compiled = compileRewrite(rewrite);
  if (!compiled.stripPrefix && !compiled.addPrefix && compiled.rules.length === 0) return undefined;
  const policy: { -readonly [K in keyof Stage]: Stage[K] } = {
    name: 'rewrite',
    describe: () =>
      [
        compiled.stripPrefix && `strip ${compiled.stripPrefix}`,
        compiled.rules.length > 0 && `${compiled.rules.length} regex rule(s)`,
        compiled.addPrefix && `add ${compiled.addPrefix}`,
      ]
        .filter(Boolean)
        .join(', '),
    request(ex) {
      const req = ex.req;
      const before = req.url ?? '/';
      const after = rewritePath(before, compiled);
      if (after !== before) {
        req.url = after;
        ex.tap?.mark('rewrite', after);
      }
      return undefined;
    },
  };
  if (compiled.stripPrefix || compiled.addPrefix) {
    policy.responseHead = (_ex, headers: IncomingHttpHeaders) => {
      if (headers.location !== undefined) headers.location = restoreLocation(headers.location, compiled);
    };
  }
  return policy;
}

export const urlRewrite: StageFactory = (route) => (route.rewrite ? urlRewritePolicy(route.rewrite) : undefined);
