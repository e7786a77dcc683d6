// Routes → an immutable lookup structure. A config change builds a new table and swaps it
// in one assignment; requests in flight keep the table they started with.
import type { ServerOptions } from 'http-proxy-3';
import { effectiveSwitches, routeTargets, type Route, type RouteDefaults } from '../contract/index.js';
import { underPrefix } from './http/path-prefix.js';
import { StageContext, type EngineParts } from './stage-context.js';
import { compileStages, type CompiledStages } from './stages.js';
import type { Upstream, UpstreamPool } from './upstream/pool.js';
import { createSelector, type Selector } from './upstream/selector.js';

export interface RouteMatch {
  readonly route: Route;
  readonly upstreams: readonly Upstream[];
  /** The route's stages in the order of stages.ts, per hook. */
  readonly stages: CompiledStages;
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

/** A route as the engine runs it: its ordered stages and its upstream selector, nothing else. */
export class CompiledRoute implements RouteMatch {
  /** Only routes with several targets have one: a lone target is picked with no work at all. */
  private readonly selector: Selector | undefined;
  readonly prefix: string;
  readonly stages: CompiledStages;
  constructor(
    readonly route: Route,
    readonly upstreams: readonly Upstream[],
    defaults: RouteDefaults | undefined,
    parts: EngineParts,
  ) {
    this.prefix = route.pathPrefix === '/' ? '' : (route.pathPrefix ?? '');
    // Entries and counters are tagged with the route's id (what the UI purges by), or its host and prefix.
    const tag = route.id ?? `${route.host}${route.pathPrefix ?? ''}`;
    const switches = effectiveSwitches(route, defaults);
    this.stages = compileStages(route, switches, new StageContext(tag, parts));
    if (upstreams.length > 1) this.selector = createSelector(switches.balance);
  }
  private readonly options = new Map<Upstream, ServerOptions>();
  proxyOptions(upstream: Upstream, connectTimeout: number): ServerOptions {
    let options = this.options.get(upstream);
    if (options?.connectTimeout !== connectTimeout) {
      options = { target: upstream.url, agent: upstream.agent, changeOrigin: this.route.changeOrigin, connectTimeout };
      // Compression, the cache and a download throttle write the response themselves.
      if (this.stages.writesResponse) options.selfHandleResponse = true;
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

function firstMatching(routes: readonly CompiledRoute[] | undefined, path: string): CompiledRoute | undefined {
  if (!routes) return undefined;
  for (const route of routes) if (route.prefix === '' || underPrefix(route.prefix, path)) return route;
  return undefined;
}

export function compileRoutingTable(routes: readonly Route[], pool: UpstreamPool, defaults?: RouteDefaults, parts: EngineParts = {}): RoutingTable {
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
    const compiled = new CompiledRoute(
      route,
      routeTargets(route).map((t) => pool.get(t)),
      defaults,
      parts,
    );
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
      return disabled.find((route) => hostMatches(route.host, hostname) && underPrefix(route.pathPrefix ?? '', path));
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
