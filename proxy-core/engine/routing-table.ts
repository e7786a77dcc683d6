// Routes → an immutable lookup structure. A config change builds a new table and swaps it
// in one assignment; requests in flight keep the table they started with.
import type { ServerOptions } from 'http-proxy-3';
import { routeTargets, type Route, type Settings } from '../contract/index.js';
import { createSelector, type Selector } from './balance/selector.js';
import type { CachePlan } from './cached-response.js';
import { compressionPlan, type CompressionPlan } from './compression.js';
import { compilePolicies, type CompiledPolicies } from './route-policies.js';
import { RouteCounters, type RouteStatsBook } from './route-stats.js';
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
  /** Which upstream serves the next request: the route's balance policy over the usable targets. */
  pick(): Upstream;
  /**
   * http-proxy-3's per-call options for this route and target, built once per table:
   * http-proxy-3 copies them and never writes to them, so every request can share one.
   */
  proxyOptions(upstream: Upstream, connectTimeout: number): ServerOptions;
  /** Another target that is up, for one retry after `failed` could not be reached; undefined if none. */
  retryTarget(failed: Upstream): Upstream | undefined;
}

export interface RoutingTable {
  /** Most specific host first, then the longest path prefix; undefined when nothing matches. */
  match(hostname: string, path: string): RouteMatch | undefined;
  /** Enabled host patterns in config order, for the "unknown host" page. */
  readonly hosts: readonly string[];
  /** Per enabled host, the path its page links to: "/" or, for prefix-only hosts, the shortest prefix. */
  readonly linkPaths: ReadonlyMap<string, string>;
  /** The switched-off route that would have answered this request, if one would have. */
  switchedOff(hostname: string, path: string): Route | undefined;
}

/** Does `pattern` (exact or "*.suffix") name `hostname`? */
function hostMatches(pattern: string, hostname: string): boolean {
  return pattern.startsWith('*.') ? hostname.endsWith(pattern.slice(1)) : pattern === hostname;
}

const always = () => true;

class CompiledRoute implements RouteMatch {
  /** Only routes with several targets have one: a lone target is picked with no work at all. */
  private readonly selector: Selector | undefined;
  readonly prefix: string;
  readonly compression: CompressionPlan | undefined;
  readonly cache: CachePlan | undefined;
  readonly throttle: ThrottlePlan | undefined;
  readonly policies: CompiledPolicies;
  constructor(
    readonly route: Route,
    readonly upstreams: readonly Upstream[],
    defaults: RouteDefaults | undefined,
    stats?: RouteStatsBook,
  ) {
    this.prefix = route.pathPrefix === '/' ? '' : (route.pathPrefix ?? '');
    // Entries are tagged with the route's id (what the UI purges by), or its host and prefix.
    const tag = route.id ?? `${route.host}${route.pathPrefix ?? ''}`;
    const compression = compressionPlan(route.compression ?? defaults?.compression);
    const cache = route.cache ?? defaults?.cache;
    // Only routes with a switch on count anything (routes.stats); the others carry no counters.
    const counters = compression || cache ? (stats?.for(tag) ?? new RouteCounters()) : undefined;
    this.compression = compression && { ...compression, counters };
    this.cache = cache ? { xCache: cache === true || cache.xCache, route: tag, counters: counters!, devSeconds: cache === true ? undefined : cache.devSeconds } : undefined;
    this.throttle = throttlePlan(route.throttle ?? defaults?.throttle);
    this.policies = compilePolicies(route, defaults);
    if (upstreams.length > 1) this.selector = createSelector(route.balance ?? defaults?.balance ?? 'round-robin');
  }
  private readonly options = new Map<Upstream, ServerOptions>();
  proxyOptions(upstream: Upstream, connectTimeout: number): ServerOptions {
    let options = this.options.get(upstream);
    if (options?.connectTimeout !== connectTimeout) {
      options = { target: upstream.url, agent: upstream.agent, changeOrigin: this.route.changeOrigin, connectTimeout };
      // Compression, the cache and a download throttle write the response themselves.
      if (this.compression || this.cache || this.throttle?.downBytes !== undefined) options.selfHandleResponse = true;
      this.options.set(upstream, options);
    }
    return options;
  }
  pick(): Upstream {
    if (!this.selector) return this.upstreams[0]!;
    const now = Date.now();
    // Down targets are skipped while any other is usable; when none is, one is still tried
    // (the backend may be back already) rather than refusing outright.
    return this.selector.pick(this.upstreams, (u) => u.health.usable(now)) ?? this.selector.pick(this.upstreams, always)!;
  }
  retryTarget(failed: Upstream): Upstream | undefined {
    // Another backend, not the same origin under another base path.
    return this.selector?.pick(this.upstreams, (u) => u.health !== failed.health && u.health.up);
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

export function compileRoutingTable(routes: readonly Route[], pool: UpstreamPool, defaults?: RouteDefaults, stats?: RouteStatsBook): RoutingTable {
  const exact = new Map<string, CompiledRoute[]>();
  // Keyed by the suffix with its leading dot: "*.shop.localhost" → ".shop.localhost".
  const wildcard = new Map<string, CompiledRoute[]>();
  const hosts: string[] = [];
  const linkPaths = new Map<string, string>();
  const disabled: Route[] = [];

  for (const route of routes) {
    if (!route.enabled) {
      disabled.push(route);
      continue;
    }
    const linked = linkPaths.get(route.host);
    const prefix = route.pathPrefix ?? '/';
    if (linked === undefined || prefix.length < linked.length) linkPaths.set(route.host, prefix);
    const compiled = new CompiledRoute(route, routeTargets(route).map((t) => pool.get(t)), defaults, stats);
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
    linkPaths,
    switchedOff(hostname, path) {
      return disabled.find((route) => hostMatches(route.host, hostname) && prefixMatches(route.pathPrefix ?? '', path));
    },
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
