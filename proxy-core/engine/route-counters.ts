// Per-route counters behind `routes.stats`. One counters object per route id for the
// engine's life; the compiled route holds a reference to it, so counting is a few integer
// increments on routes with the cache or compression on, and nothing on the others.
import type { RouteStats } from '../contract/route-stats.js';

export class RouteCounters {
  cacheHits = 0;
  cacheMisses = 0;
  cacheBytesServed = 0;
  compressedResponses = 0;
  compressedBytesIn = 0;
  compressedBytesOut = 0;
}

export class RouteStatsBook {
  private readonly byRoute = new Map<string, RouteCounters>();

  /** The route's counters, made on first use; the same object across config changes. */
  for(route: string): RouteCounters {
    let counters = this.byRoute.get(route);
    if (!counters) this.byRoute.set(route, (counters = new RouteCounters()));
    return counters;
  }

  snapshot(): RouteStats[] {
    return [...this.byRoute].map(([route, c]) => ({
      route,
      cache: { hits: c.cacheHits, misses: c.cacheMisses, bytesServed: c.cacheBytesServed },
      compression: { responses: c.compressedResponses, bytesIn: c.compressedBytesIn, bytesOut: c.compressedBytesOut },
    }));
  }
}
