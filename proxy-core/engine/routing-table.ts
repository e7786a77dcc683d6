// Routes → an immutable lookup structure. A config change builds a new table and swaps it
// in one assignment; requests in flight keep the table they started with.
import { routeTargets, type Route, type Settings } from '../contract/index.js';
import type { CachePlan } from './cached-response.js';
import { compressionPlan, type CompressionPlan } from './compression.js';
import { compilePolicies, type CompiledPolicies } from './route-policies.js';
import { throttlePlan, type ThrottlePlan } from './throttle.js';
import type { Upstream, UpstreamPool } from './upstreams.js';

export interface RouteMatch {
  readonly route: Route;
  readonly upstreams: readonly Upstream[];
  /** The compression switch resolved against the defaults; undefined when off (the fast path). */
  readonly compression: CompressionPlan | undefined;
  /** The cache switch resolved likewise; undefined when off. */
  readonly cache: CachePlan | undefined;
  /** The throttle switch resolved likewise; undefined when off. */
  readonly throttle: ThrottlePlan | undefined;
  /** Firewall, auth, rewrites…: run before a backend is picked and on its response head. */
  readonly policies: CompiledPolicies;
  /** Which upstream serves the next request (round-robin until balancing policies land). */
  pick(): Upstream;
}

export interface RoutingTable {
  /** Most specific host first, then the longest path prefix; undefined when nothing matches. */
  match(hostname: string, path: string): RouteMatch | undefined;
  /** Enabled host patterns in config order, for the "unknown host" page. */
  readonly hosts: readonly string[];
}

class CompiledRoute implements RouteMatch {
  private next = 0;
  readonly prefix: string;
  readonly compression: CompressionPlan | undefined;
  readonly cache: CachePlan | undefined;
  readonly throttle: ThrottlePlan | undefined;
  readonly policies: CompiledPolicies;
  constructor(
    readonly route: Route,
    readonly upstreams: readonly Upstream[],
    defaults: RouteDefaults | undefined,
  ) {
    this.prefix = route.pathPrefix === '/' ? '' : (route.pathPrefix ?? '');
    this.compression = compressionPlan(route.compression ?? defaults?.compression);
    const cache = route.cache ?? defaults?.cache;
    // Entries are tagged with the route's id (what the UI purges by), or its host and prefix.
    const tag = route.id ?? `${route.host}${route.pathPrefix ?? ''}`;
    this.cache = cache ? { xCache: cache === true || cache.xCache, route: tag } : undefined;
    this.throttle = throttlePlan(route.throttle ?? defaults?.throttle);
    this.policies = compilePolicies(route, defaults);
  }
  pick(): Upstream {
    if (this.upstreams.length === 1) return this.upstreams[0]!;
    const upstream = this.upstreams[this.next % this.upstreams.length]!;
    this.next = (this.next + 1) % this.upstreams.length;
    return upstream;
  }
}

/** `/api` matches `/api`, `/api/x` and `/api?q`, never `/apix`. */
function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

function firstMatching(routes: readonly CompiledRoute[] | undefined, path: string): CompiledRoute | undefined {
  if (!routes) return undefined;
  for (const route of routes) if (prefixMatches(route.prefix, path)) return route;
  return undefined;
}

type RouteDefaults = Settings['defaults'];

export function compileRoutingTable(routes: readonly Route[], pool: UpstreamPool, defaults?: RouteDefaults): RoutingTable {
  const exact = new Map<string, CompiledRoute[]>();
  // Keyed by the suffix with its leading dot: "*.shop.localhost" → ".shop.localhost".
  const wildcard = new Map<string, CompiledRoute[]>();
  const hosts: string[] = [];

  for (const route of routes) {
    if (!route.enabled) continue;
    const compiled = new CompiledRoute(route, routeTargets(route).map((t) => pool.get(t)), defaults);
    const isWildcard = route.host.startsWith('*.');
    const map = isWildcard ? wildcard : exact;
    const key = isWildcard ? route.host.slice(1) : route.host;
    const list = map.get(key) ?? [];
    list.push(compiled);
    map.set(key, list);
    if (!hosts.includes(route.host)) hosts.push(route.host);
  }
  // Longest prefix first; the sort is stable, so among equals the first in config wins.
  for (const list of [...exact.values(), ...wildcard.values()]) list.sort((a, b) => b.prefix.length - a.prefix.length);

  return {
    hosts,
    match(hostname, path) {
      const hit = firstMatching(exact.get(hostname), path);
      if (hit || wildcard.size === 0) return hit;
      // Walk the suffixes from the longest: a.b.shop.localhost → .b.shop.localhost → .shop.localhost …
      for (let dot = hostname.indexOf('.'); dot !== -1; dot = hostname.indexOf('.', dot + 1)) {
        const found = firstMatching(wildcard.get(hostname.slice(dot)), path);
        if (found) return found;
      }
      return undefined;
    },
  };
}
