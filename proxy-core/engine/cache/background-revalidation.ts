// stale-while-revalidate (RFC 5861 §3): the backend lets a stale response be served for N
// more seconds while the cache refreshes it. cached-response.ts answers the client from the
// store at once (X-Cache: STALE) and hands the entry here; this sends one conditional GET of
// Portico's own to the route's target, over the target's keep-alive agent, and puts what
// comes back into the store:
//   304 → the stored headers merge in and freshness restarts (the body stays);
//   another answer → it replaces the entry when the rules let it be stored; a 5xx (or a
//     non-storable answer) leaves the stale entry as it is;
//   no answer (refused, timed out, cut) → the stale entry stays; the window still bounds
//     how long it is served, then clients revalidate first as before.
// Why a request of our own and not http-proxy-3: there is no client to write to, so none of
// the proxy's client-side passes apply; what the backend must see the same (path under the
// target's base path, Host with changeOrigin, the route's header rules and forwarding
// headers, which are already on the client's request) is taken from the client's request.
// Its response head gets the same edits as a proxied one (response header rules, Location
// and cookie rewrites) before it is stored. It is not a client exchange: nothing is
// captured or counted, one log line says what happened.
// One refresh per stored variant at a time: concurrent clients inside the window all get
// the stale copy, and only the first starts a request.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type CachePolicy from 'http-cache-semantics';
import { urlJoin } from 'http-proxy-3/dist/lib/http-proxy/common.js';
import type { StoredResponse } from './response-store.js';
import type { StaleServed } from './cached-response.js';
import type { Upstream } from '../upstream/pool.js';

/** Where and how the refresh goes: as the client's request would have. */
export interface RefreshTarget {
  readonly upstream: Upstream;
  readonly changeOrigin: boolean | undefined;
  /** timeouts.connectMs + responseMs: how long the whole refresh may take. */
  readonly deadlineMs: number;
  /** The route's edits to a backend's response head (header rules, Location/cookie rewrites). */
  readonly editHead: (headers: IncomingHttpHeaders, status: number) => void;
}

/** The client's own conditions and ranges are about its copy, not the stored one. */
const CLIENT_ONLY = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range'];

export class BackgroundRevalidations {
  private readonly inFlight = new Set<StoredResponse>();

  constructor(private readonly log: (line: string) => void) {}

  /** Starts a refresh of `stale.entry` unless one is already running. */
  start(stale: StaleServed, target: RefreshTarget): void {
    if (this.inFlight.has(stale.entry)) return;
    this.inFlight.add(stale.entry);
    const base = Object.fromEntries(Object.entries(stale.shape.headers).filter(([name]) => !name.startsWith(':') && !CLIENT_ONLY.includes(name)));
    const shape: CachePolicy.Request = { method: 'GET', url: stale.shape.url, headers: base };
    // The stored validators, and the hop-by-hop headers gone (http-cache-semantics).
    const headers = stale.entry.policy.revalidationHeaders(shape);
    const { url, agent } = target.upstream;
    if (target.changeOrigin) headers.host = url.host;
    const what = `${stale.key} → ${target.upstream.address}`;
    const request = (url.protocol === 'https:' ? https : http).request({
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: urlJoin(url.pathname + url.search, stale.shape.url ?? '/'),
      method: 'GET',
      headers: headers as http.OutgoingHttpHeaders,
      agent,
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${target.deadlineMs} ms`)), target.deadlineMs);
    deadline.unref();
    const done = (outcome: string) => {
      clearTimeout(deadline);
      if (!this.inFlight.delete(stale.entry)) return;
      this.log(`cache: background revalidation of ${what}: ${outcome}`);
    };
    request.on('error', (error) => done(`failed (${error.message}); the stale copy stays`));
    // The cache sees the client's request (its Host, not a changeOrigin one): what the
    // refreshed entry will be matched against.
    request.on('response', (response) => this.settle(stale, shape, response, target, done));
    request.end();
  }

  private settle(stale: StaleServed, shape: CachePolicy.Request, response: IncomingMessage, target: RefreshTarget, done: (outcome: string) => void): void {
    const { cache, key, entry, plan } = stale;
    const code = response.statusCode ?? 502;
    target.editHead(response.headers, code);
    const headers = response.headers as CachePolicy.Headers;
    if (code === 304) {
      response.resume();
      const merged = cache.revalidated(key, entry, shape, code, headers);
      done(merged ? '304, refreshed' : '304 for another representation; the stale copy stays');
      return;
    }
    const admission = code < 500 ? cache.admit(key, plan.route, shape, code, { ...headers }, plan.devSeconds) : undefined;
    if (!admission) {
      response.resume();
      done(`${code}, not storable; the stale copy stays`);
      return;
    }
    response.on('data', admission.push);
    response.on('error', () => {}); // a cut body: 'close' below says so
    response.once('close', () => {
      if (response.complete) admission.finish();
      done(response.complete ? `${code}, stored anew` : `${code}, cut short; the stale copy stays`);
    });
  }
}
