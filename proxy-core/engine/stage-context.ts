// What a stage factory may use besides the route and its switches: the engine-wide
// things that outlive a config change (the cache's store, the per-route counters).
import type { BackgroundRevalidations } from './cache/background-revalidation.js';
import type { HttpCache } from './cache/http-cache.js';
import { RouteCounters, type RouteStatsBook } from './route-counters.js';
import type { TrafficRules } from './rules/rule-stages.js';

export interface EngineParts {
  /** One cache for the engine's life: a config change keeps what is stored. */
  readonly cache?: HttpCache | undefined;
  readonly revalidations?: BackgroundRevalidations | undefined;
  readonly stats?: RouteStatsBook | undefined;
  /** The traffic rules of the config being compiled, and the exchanges paused at a breakpoint. */
  readonly rules?: TrafficRules | undefined;
}

export class StageContext {
  private own: RouteCounters | undefined;
  constructor(
    /** The route's id (what the UI purges and reads stats by), or its host and prefix. */
    readonly tag: string,
    readonly parts: EngineParts,
  ) {}

  /** The route's counters (routes.stats): only routes with a counting switch on ask. */
  counters(): RouteCounters {
    return this.parts.stats?.for(this.tag) ?? (this.own ??= new RouteCounters());
  }
}
