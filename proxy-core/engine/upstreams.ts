// Runtime state of the backends, kept apart from route config: a config swap compiles a
// new routing table but reuses these, so keep-alive sockets (and later health and
// counters) survive edits — the way Caddy keeps hosts in a usage pool across reloads.
import http from 'node:http';
import https from 'node:https';
import { HealthRecord } from './balance/health.js';
import { isLoopbackName } from './host.js';
import { UPSTREAM_MAX_SOCKETS } from './upstream-queue.js';

export interface Upstream {
  /** Parsed once: http-proxy-3 uses a URL target as is, no re-parse per request. */
  readonly url: URL;
  /** `url.origin`, kept as a string: URL's getter builds a new one on every read. */
  readonly origin: string;
  /** `host:port` as used in error messages ("nothing is listening on 127.0.0.1:3000"). */
  readonly address: string;
  /**
   * One keep-alive agent per backend origin. Without an agent http-proxy-3 sends
   * `Connection: close` and every request pays a new TCP handshake.
   */
  readonly agent: http.Agent;
  /** Down after a failed connection or check, with backoff; shared by every route using the origin. */
  readonly health: HealthRecord;
  /** Requests in flight, counted only on routes with several targets (for least-connections). */
  readonly load: { active: number };
}

export class UpstreamPool {
  private readonly byOrigin = new Map<string, Upstream>();

  get(target: string): Upstream {
    const url = new URL(target);
    let upstream = this.byOrigin.get(url.origin);
    if (!upstream) {
      const secure = url.protocol === 'https:';
      const options: https.AgentOptions = { keepAlive: true, maxSockets: UPSTREAM_MAX_SOCKETS, maxFreeSockets: UPSTREAM_MAX_SOCKETS, scheduling: 'lifo' };
      // A dev server on this machine with its own self-signed certificate is normal;
      // refusing it would only teach people to turn verification off everywhere.
      if (secure && isLoopbackName(url.hostname)) options.rejectUnauthorized = false;
      const port = url.port || (secure ? '443' : '80');
      upstream = {
        url,
        origin: url.origin,
        address: `${url.hostname}:${port}`,
        agent: secure ? new https.Agent(options) : new http.Agent(options),
        health: new HealthRecord(),
        load: { active: 0 },
      };
      this.byOrigin.set(url.origin, upstream);
    }
    // A target may carry a base path (http://127.0.0.1:3000/app): keep it per target.
    return upstream.url.href === url.href ? upstream : { ...upstream, url };
  }

  /** Drops every pooled socket; for shutdown only (it would cut in-flight requests). */
  destroy(): void {
    for (const upstream of this.byOrigin.values()) upstream.agent.destroy();
    this.byOrigin.clear();
  }
}
