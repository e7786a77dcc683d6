// The engine as a plain library: start it in-process (port 0 in tests), feed it config,
// close it. Listeners, routing table and upstream pool are wired together here and
// nowhere else.
import type { BreakpointEdits, Config, Paused, TargetHealth } from '../contract/index.js';
import { Breakpoints, type BreakpointListener } from './rules/breakpoints.js';
import { compileRules } from './rules/rule-stages.js';
import { ActiveChecks } from './upstream/active-checks.js';
import { listHealth } from './upstream/health-list.js';
import { ConnectionReprobes } from './upstream/reprobe.js';
import type { Recorder } from './capture/capture-tap.js';
import { listenHttp, listenHttps, type CertificateSource, type Listener, type ListenerAddress, type ListenerWish } from './listeners.js';
import { BackgroundRevalidations } from './cache/background-revalidation.js';
import { HttpCache } from './cache/http-cache.js';
import { ResponseStore } from './cache/response-store.js';
import { guardHandlers } from './http/guarded-handlers.js';
import { FailedAttempts } from './policies/failed-attempts.js';
import { createProxyHandlers, type HealthListener, type ProxyState } from './proxy-handlers.js';
import { compileRoutingTable } from './routing-table.js';
import { RouteStatsBook } from './route-counters.js';
import type { RouteStats } from '../contract/route-stats.js';
import { isLoopbackAddress } from './lan/lan-peers.js';
import { LanListeners, markStrangers, type LanListenerStatus } from './lan/lan-listeners.js';
import { UpstreamPool } from './upstream/pool.js';

export type { BreakpointListener, CertificateSource, HealthListener, ListenerAddress, LanListenerStatus };

export interface EngineOptions {
  config: Config;
  /** Override the config's HTTP listener (CLI flags, tests). Port 0 picks a free port. */
  http?: Partial<ListenerWish>;
  /**
   * Serve HTTPS too, with certificates from `certificates`; address as for `http`. With
   * `optional`, an HTTPS listener that cannot be had (443 without privileges, a port in
   * use) leaves the engine serving HTTP alone, and `httpsProblem` says why; without it the
   * start fails (the error carries `listener: 'https'`).
   */
  https?: Partial<ListenerWish> & { certificates: CertificateSource; optional?: boolean };
  /** One line per notable event (listener up, config swapped, backend failures). */
  log?: (line: string) => void;
  /** Receives every exchange while it is active (the traffic inspector's store). */
  recorder?: Recorder;
  /** Told when a target goes down (a connection failed) or comes back (it answered). */
  onHealth?: HealthListener;
  /**
   * The LAN access token (kept in <data dir>/lan-token by the service). Without it
   * settings.lan.enabled opens nothing: no LAN visitor can be let in without a token.
   */
  lan?: { token: string };
  /** The clock the response cache reads for freshness (tests move one forward instead of waiting). */
  clock?: () => number;
  /** Told when an exchange pauses at a breakpoint rule and when it goes on. */
  onBreakpoint?: BreakpointListener;
  /** How long a paused exchange waits before it goes on unchanged (default 5 minutes). */
  breakpointTimeoutMs?: number;
}

export interface Engine {
  /** Where the HTTP listener is actually bound (the real port when 0 was asked). */
  readonly http: ListenerAddress;
  /** Where HTTPS is bound, when it was asked for and could listen. */
  readonly https: ListenerAddress | undefined;
  /** Why HTTPS is not served although it was asked for (`https.optional`). */
  readonly httpsProblem: string | undefined;
  /** The config now in force. */
  readonly config: Config;
  /**
   * Put a new config in force by swapping the routing table in one assignment.
   * Open connections, in-flight requests and WebSockets are not touched.
   */
  setConfig(config: Config): void;
  /** Drops stored responses: all, one route's (by id), or one URL's ("http://host/path?q"). */
  purgeCache(filter?: { route?: string | undefined; url?: string | undefined }): number;
  /** Every target of the enabled routes: up or down, since when, the last error, requests in flight. */
  health(): TargetHealth[];
  /** Cache and compression numbers per route (by id), for routes that had a switch on. */
  routeStats(): RouteStats[];
  /** The LAN listeners, once the changes asked for so far are in place. */
  lanStatus(): Promise<LanListenerStatus>;
  /** Exchanges paused at a breakpoint rule: listed, resumed (maybe edited) or aborted. */
  readonly breakpoints: {
    list(): Paused[];
    resume(id: string, edits?: BreakpointEdits): boolean;
    abort(id: string): boolean;
  };
  /** Stop accepting; let in-flight requests finish for up to `graceMs`; then close the rest. */
  close(graceMs?: number): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const log = options.log ?? (() => {});
  const pool = new UpstreamPool();
  let config = options.config;
  let httpsPort: number | undefined;
  let httpsProblem: string | undefined;
  // One cache for the engine's life: a config change keeps what is stored.
  const cache = new HttpCache(new ResponseStore(config.cacheStore), options.clock);
  const stats = new RouteStatsBook();
  const lanToken = options.lan?.token;
  const parts = { cache, stats, revalidations: new BackgroundRevalidations(log) };
  // Paused exchanges outlive config changes; the rules are compiled with each config.
  const breakpoints = new Breakpoints(options.onBreakpoint, options.breakpointTimeoutMs);
  // Failed guesses per address outlive config swaps: editing a route must not reset a block.
  const failures = new FailedAttempts();
  const compile = (c: Config): ProxyState => ({
    table: compileRoutingTable(c.routes, pool, c.defaults, { ...parts, rules: compileRules(c.rules, breakpoints) }),
    timeouts: c.timeouts,
    httpsPort,
    failures,
    lan: lanToken === undefined ? undefined : { enabled: c.lan.enabled, token: lanToken },
  });
  let state = compile(config);
  // Targets a failed connection took down are probed until they accept one again.
  const reprobes = new ConnectionReprobes(options.onHealth);
  const handlers = guardHandlers(
    createProxyHandlers(() => state, log, options.recorder, options.onHealth, reprobes),
    log,
  );
  // Health lives in the pool, next to the checks that feed it: both outlive config swaps.
  const checks = new ActiveChecks(pool, options.onHealth);
  // A listener bound to loopback only ever meets this machine; any other bind gets the
  // wrapper that sends strangers through the LAN gate.
  const front = (host: string) => (isLoopbackAddress(host) ? handlers : markStrangers(handlers));
  const lanOpen = () => state.lan?.enabled === true;
  const lan = new LanListeners(handlers, log);

  const listeners: Listener[] = [];
  const closeAll = (graceMs: number) => {
    checks.stop();
    reprobes.stop();
    return Promise.all([...listeners.map((l) => l.close(graceMs)), lan.close(graceMs)]).then(() => pool.destroy());
  };
  try {
    const httpHost = options.http?.host ?? config.http.host;
    const wantedHttp = {
      host: httpHost,
      port: options.http?.port ?? config.http.port,
      loopbackOnly: options.http?.loopbackOnly,
      lanOpen,
      connections: options.http?.connections,
    };
    // settings.firewall's header size and slow-client limits are server options: set at start.
    const http = await listenHttp(front(httpHost), wantedHttp, config.firewall);
    listeners.push(http);
    log(`HTTP listening on http://${http.address.host}:${http.address.port}`);
    if (options.https) {
      const wanted = {
        host: options.https.host ?? config.https.host,
        port: options.https.port ?? config.https.port,
        loopbackOnly: options.https.loopbackOnly,
        lanOpen,
        connections: options.https.connections,
      };
      const https = await listenHttps(front(wanted.host), wanted, options.https.certificates, config.firewall).catch((error: Error) => {
        if (!options.https?.optional) throw Object.assign(error, { listener: 'https' }); // names the listener for the caller's message
        httpsProblem = error.message;
        log(`HTTPS not started: ${error.message}`);
        return undefined;
      });
      if (https) {
        listeners.push(https);
        httpsPort = https.address.port;
        state = compile(config);
        log(`HTTPS listening on https://${https.address.host}:${https.address.port}`);
      }
    }
  } catch (error) {
    await closeAll(0); // one listener failing leaves none behind
    throw error;
  }
  // A LAN port that cannot be had is reported in lanStatus, never a reason not to start.
  await lan.apply(config, config.lan.enabled && lanToken !== undefined);

  checks.sync(config.routes);
  let closing: Promise<void> | undefined;
  return {
    http: listeners[0]!.address,
    https: listeners[1]?.address,
    httpsProblem,
    get config() {
      return config;
    },
    setConfig(next) {
      // Compile first: a config that fails to compile leaves the running one in place.
      state = compile(next);
      config = next;
      cache.store.setLimits(next.cacheStore);
      checks.sync(next.routes);
      log(`config applied: ${state.table.hosts.length} host(s)`);
      void lan.apply(next, next.lan.enabled && lanToken !== undefined);
    },
    purgeCache(filter) {
      return cache.purge(filter);
    },
    health() {
      return listHealth(config.routes, pool, (origin) => checks.pathFor(origin));
    },
    routeStats() {
      return stats.snapshot();
    },
    lanStatus() {
      return lan.status();
    },
    breakpoints,
    close(graceMs = 5_000) {
      return (closing ??= closeAll(graceMs).then(() => {}));
    },
  };
}
