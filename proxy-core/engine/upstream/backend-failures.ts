// When the backend could not be reached or failed before answering: report its health,
// send the request once more where the rule allows (a fresh socket, another target), let
// a stage answer instead (the cache's stale copy), or answer 502/504 with what to do.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxyServer } from 'http-proxy-3';
import { exchangeOf, type Exchange } from '../exchange-state.js';
import { sendPage, writeRawStatus } from '../http/pages.js';
import type { HealthListener } from './health-record.js';
import type { ConnectionReprobes } from './reprobe.js';
import { mayRetry } from './retry.js';
import { describeUpstreamError } from './upstream-errors.js';

/** Failures that say the target itself is not there (not a slow or odd answer). */
const TARGET_DOWN = new Set(['connection refused', 'connect timeout', 'host unreachable', 'name not found']);

export type ProxyErrorHandler = (err: Error, req: IncomingMessage, res: ServerResponse | Duplex) => void;

export function backendFailures(
  proxy: ProxyServer,
  log: (line: string) => void,
  onHealth: HealthListener | undefined,
  reprobes?: ConnectionReprobes,
): ProxyErrorHandler {
  function onProxyError(err: NodeJS.ErrnoException, req: IncomingMessage, res: ServerResponse | Duplex): void {
    const ex = exchangeOf(req);
    if (ex?.refused) return; // the backend was cut off on purpose; the client has its answer
    if (ex?.clientGone) return; // cut off because the client left; recorded as cancelled
    if (ex?.wsOpen) return; // an open WebSocket that ended: its record says who closed it
    const upstream = ex?.upstream;
    if (!ex || !upstream || !ex.timeouts || !ex.route) {
      log(`proxy error before routing: ${err.message}`);
      if ('destroy' in res) res.destroy();
      return;
    }
    const routeHost = ex.route.route.host;
    const failure = describeUpstreamError(err, upstream, ex.timeouts);
    if (TARGET_DOWN.has(failure.cause) && upstream.health.connectionFailed(failure.advice, Date.now())) {
      onHealth?.({ route: routeHost, target: upstream.origin, up: false, lastError: failure.advice });
    }
    if (TARGET_DOWN.has(failure.cause) && !upstream.health.up) reprobes?.watch(upstream, routeHost);
    if (resendOnFreshSocket(err, ex, res)) return;
    if (retryElsewhere(err, ex, res, failure.cause)) return;
    ex.tap?.failed(err.code ?? failure.cause, failure.advice);
    log(`${failure.status} ${req.method} ${req.headers.host ?? ''}${req.url ?? ''} → ${upstream.address}: ${failure.cause}`);
    if (!('writeHead' in res)) {
      // A WebSocket upgrade: the socket is still raw HTTP until the backend said 101.
      if (!res.destroyed) writeRawStatus(res, failure.status, failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', failure.advice);
      return;
    }
    for (const stage of ex.route.stages.backendFailed) if (stage.backendFailed!(ex)) return;
    sendPage(req, res, {
      status: failure.status,
      title: failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway',
      message: `${routeHost} → ${upstream.origin}: ${failure.advice}`,
      details: { route: routeHost, target: upstream.origin, cause: failure.cause },
    });
  }

  /**
   * One more try on another target that is up, when the rule in upstream/retry.ts allows it
   * and the client has been sent nothing yet. WebSocket upgrades are not retried:
   * http-proxy-3 ends the client socket right after reporting the error.
   */
  function retryElsewhere(err: NodeJS.ErrnoException, ex: Exchange, res: ServerResponse | Duplex, cause: string): boolean {
    const { balance, req } = ex;
    const failed = ex.upstream;
    if (!balance || balance.retried || !failed || !('writeHead' in res) || res.headersSent || res.destroyed) return false;
    if (!mayRetry(err.code, req.method, req.readableDidRead)) return false;
    const next = balance.match.retryTarget(failed);
    if (!next) return false;
    balance.retried = true;
    balance.moveTo(next);
    ex.upstream = next;
    ex.tap?.mark('retry', `${failed.origin}: ${cause}; sent to ${next.origin}`);
    ex.tap?.routed(ex.route?.route.host ?? '', next.origin);
    log(`retry ${req.method} ${req.headers.host ?? ''}${req.url ?? ''}: ${failed.address} ${cause} → ${next.address}`);
    ex.options = { ...ex.options, target: next.url, agent: next.agent };
    proxy.web(req, res, ex.options, webErrorCallback);
    return true;
  }

  /**
   * A keep-alive connection the backend closed while it sat idle in the pool (Node's
   * servers do so after 5 s) fails the request sent on it the moment it is reused: the
   * race Node documents for `reusedSocket`. The request goes once more, to the same
   * target, under the same rule as a retry elsewhere (upstream/retry.ts) — a dev server
   * restarting between two page loads must not show a 502.
   */
  function resendOnFreshSocket(err: NodeJS.ErrnoException, ex: Exchange, res: ServerResponse | Duplex): boolean {
    const options = ex.options;
    if (!ex.proxyReq?.reusedSocket || ex.resent || !options || !('writeHead' in res) || res.headersSent || res.destroyed) return false;
    if (!mayRetry(err.code, ex.req.method, ex.req.readableDidRead)) return false;
    ex.resent = true;
    ex.tap?.mark('retry', 'the pooled connection had been closed by the backend; sent again');
    proxy.web(ex.req, res, options, webErrorCallback);
    return true;
  }

  const webErrorCallback: ProxyErrorHandler = (err, req, res) => onProxyError(err as NodeJS.ErrnoException, req, res);
  return webErrorCallback;
}
