// A rule's match compiled once per config: host (exact or "*.wildcard"), path prefix on
// segment boundaries, a regular expression, a method, a header or query value. Tested
// against the request as the engine hands it to the stages (req.url already normalised).
import type { IncomingMessage } from 'node:http';
import type { Rule } from '../../contract/index.js';
import { hostnameOf } from '../http/host.js';
import { underPrefix } from '../http/path-prefix.js';

export interface CompiledRule {
  readonly rule: Rule;
  /** The rule's name in marks: its name, else its id. */
  readonly label: string;
  matches(req: IncomingMessage, hostname: string): boolean;
  /** Could this rule ever match a request routed to `routeHost` (a host pattern)? */
  mayMatchRoute(routeHost: string): boolean;
}

export function hostMatches(pattern: string, hostname: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === hostname;
  const suffix = pattern.slice(1); // ".shop.localhost"
  return hostname.endsWith(suffix) && hostname.length > suffix.length;
}

function queryValues(url: string, name: string): string[] {
  const at = url.indexOf('?');
  if (at === -1) return [];
  try {
    return new URLSearchParams(url.slice(at + 1)).getAll(name);
  } catch {
    return [];
  }
}

export function compileRule(rule: Rule): CompiledRule {
  const { host, pathPrefix, pathRegex, method, header, query } = rule.match;
  // "/api/" means the same as "/api" (the segment rule adds the boundary).
  const prefix = pathPrefix === undefined || pathPrefix === '/' ? undefined : pathPrefix.replace(/\/+$/, '');
  const regex = pathRegex === undefined ? undefined : new RegExp(pathRegex);
  const headerName = header?.name.toLowerCase();
  return {
    rule,
    label: rule.name ?? rule.id,
    matches(req, hostname) {
      if (method !== undefined && req.method !== method) return false;
      if (host !== undefined && !hostMatches(host, hostname)) return false;
      const url = req.url ?? '/';
      if (prefix !== undefined && !underPrefix(prefix, url)) return false;
      if (regex !== undefined && !regex.test(url)) return false;
      if (headerName !== undefined) {
        const value = req.headers[headerName];
        if (value === undefined) return false;
        if (header!.value !== undefined && !(Array.isArray(value) ? value : [value]).includes(header!.value)) return false;
      }
      if (query !== undefined) {
        const values = queryValues(url, query.name);
        if (values.length === 0) return false;
        if (query.value !== undefined && !values.includes(query.value)) return false;
      }
      return true;
    },
    mayMatchRoute(routeHost) {
      if (host === undefined || host === routeHost) return true;
      const ruleWild = host.startsWith('*.');
      if (routeHost.startsWith('*.')) {
        // Two wildcards overlap when one suffix ends with the other (*.a.shop and *.shop).
        if (ruleWild) return host.slice(1).endsWith(routeHost.slice(1)) || routeHost.slice(1).endsWith(host.slice(1));
        return hostMatches(routeHost, host);
      }
      return hostMatches(host, routeHost);
    },
  };
}

/** The host the request is for, as rules see it: the Host header's name, else the route's exact host. */
export function requestHostname(req: IncomingMessage, routeHost: string): string {
  return hostnameOf(req.headers.host) ?? routeHost;
}
