// May a shared cache store this response (RFC 9111 §3)? The answer is a reason in words
// when it may not, for the inspector's mark ("not stored: …"); undefined when it may.
import type { IncomingHttpHeaders } from 'node:http';
import { has, parseCacheControl } from './cache-control.js';
import { HEURISTICALLY_CACHEABLE, type ResponseRules } from './freshness.js';

/** Did a targeted field decide (the response then said something about caching)? */
const targetedSaid = (rules: ResponseRules, headers: IncomingHttpHeaders) =>
  rules.field !== 'Cache-Control' && headers[rules.field.toLowerCase()] !== undefined;

export function whyNotStorable(
  method: string,
  request: IncomingHttpHeaders,
  status: number,
  headers: IncomingHttpHeaders,
  rules: ResponseRules,
): string | undefined {
  const { directives, field } = rules;
  if (method !== 'GET') return `only responses to GET are stored (this was ${method})`;
  if (status < 200) return 'an interim response is never stored';
  if (status === 304) return 'a 304 answers a conditional request and has no body to keep';
  if (status === 412) return 'a 412 answers the preconditions of one request';
  // §3.3/§3.4 let a cache keep or combine partial content; this one stores complete
  // responses only, so a part is never served as the whole.
  if (status === 206) return 'partial content (206) is not stored';
  if (has(parseCacheControl(request['cache-control']), 'no-store')) return 'the request said no-store';
  if (has(directives, 'no-store')) return `the response says ${field}: no-store`;
  // A qualified private names fields not to store; the rest may be (stored-headers.ts).
  if (directives.values.get('private') === true) return `the response says ${field}: private (for the browser only)`;
  const allowsAuthorization = has(directives, 'must-revalidate') || has(directives, 'public') || has(directives, 's-maxage');
  if (request.authorization !== undefined && !allowsAuthorization)
    return 'the request carried Authorization and the response is not marked public, s-maxage or must-revalidate';
  // Sharing one user's cookie with every other client is never what a developer wants to
  // test; an explicit `public` says the backend means it.
  if (headers['set-cookie'] !== undefined && !has(directives, 'public')) return 'it sets a cookie and is not marked public';
  if (typeof headers.vary === 'string' && headers.vary.split(',').some((name) => name.trim() === '*')) return 'Vary: * never matches a later request';
  const heuristic = HEURISTICALLY_CACHEABLE.has(status) || has(directives, 'public');
  if (!rules.explicit && !heuristic) return `status ${status} needs explicit freshness (max-age, s-maxage or Expires) to be stored`;
  // Never usable (fresh, or stale inside a stale-* window) and nothing to revalidate
  // with: storing it would only cost memory.
  const validators = headers.etag !== undefined || headers['last-modified'] !== undefined;
  const window = rules.staleForbidden ? 0 : Math.max(rules.staleIfError, rules.staleWhileRevalidate);
  const silent = headers['cache-control'] === undefined && headers.expires === undefined && headers.pragma === undefined && !targetedSaid(rules, headers);
  if (status === 200 && silent && rules.lifetime <= 0 && !validators)
    return 'the response has no freshness (no Cache-Control or Expires) — dev mode would keep it';
  if ((rules.lifetime + window <= 0 || rules.noCache) && !validators)
    return `the response has no freshness (${rules.lifetimeFrom}) and no validator to revalidate it with`;
  return undefined;
}
