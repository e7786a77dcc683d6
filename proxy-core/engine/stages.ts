// THE order a request meets a route's features. Every per-route feature is a stage
// (stage.ts) and is listed here once; a route carries the stages its config switches on,
// in this order, and each hook runs in this order too. Before any stage, route-request.ts
// runs what guards every host alike: request framing, the LAN gate (lan/lan-access.ts: it
// must also refuse hosts no route serves) and the route's `https` option.
//
//   request:      firewall (allow-list, rate limit, path deny, body size) → auth
//                 → redirect → traffic rules (match) → rewrite → header rules
//   beforeForward: throttle (latency, held body) → traffic rules (respond, delay, fail,
//                 request breakpoint) → cache (lookup; a hit answers)
//   responseHead: rewrite (Location back) → header rules → backend names (Location, cookies)
//   response:     cache (store, merge a 304, stale on a 5xx) → response breakpoint
//   responseBody: compression (encode) → throttle (pace what goes on the wire)
//   upgrade:      throttle (WebSocket frames through token buckets)
//
// Add a stage by writing its factory in its feature folder and listing it here.
import type { EffectiveSwitches, Route } from '../contract/index.js';
import { cacheStage } from './cache/cache-stage.js';
import { compressionStage } from './compression/compression-stage.js';
import type { Exchange } from './exchange-state.js';
import type { Outgoing } from './respond.js';
import { ruleActions, ruleMatch, ruleResponses } from './rules/rule-stages.js';
import { basicAuthPolicy } from './policies/basic-auth.js';
import { bodyLimitPolicy } from './policies/body-limit.js';
import { headerRules } from './policies/header-rules.js';
import { ipAllowPolicy } from './policies/ip-allow.js';
import { pathDenyPolicy } from './policies/path-deny.js';
import { urlRewrite } from './policies/path-rewrite.js';
import { rateLimitPolicy } from './policies/rate-limit.js';
import { redirectRoute } from './policies/redirect.js';
import type { Stage, StageFactory, Verdict } from './stage.js';
import type { StageContext } from './stage-context.js';
import { throttleStage } from './throttle/throttle-stage.js';
import { backendNamesStage } from './upstream/location-rewrite.js';

export const STAGES: readonly StageFactory[] = [
  ipAllowPolicy,
  rateLimitPolicy,
  pathDenyPolicy,
  bodyLimitPolicy,
  basicAuthPolicy,
  redirectRoute,
  // Traffic rules match the path as the client addressed it: before a route's rewrite.
  ruleMatch,
  urlRewrite,
  headerRules,
  backendNamesStage,
  // Compression before the throttle: its responseBody encodes, then the throttle paces
  // the encoded bytes. The throttle before the cache: its latency comes before a lookup.
  compressionStage,
  throttleStage,
  // A rule acts after the throttle's latency and before a cache hit could answer; its
  // response breakpoint comes after the cache stored the backend's own response.
  ruleActions,
  cacheStage,
  ruleResponses,
];

/** A route's stages, and per hook only those that have it, so the hot path loops over nothing extra. */
export interface CompiledStages {
  readonly all: readonly Stage[];
  readonly request: readonly Stage[];
  readonly requestBody: readonly Stage[];
  readonly beforeForward: readonly Stage[];
  readonly responseHead: readonly Stage[];
  readonly response: readonly Stage[];
  readonly responseBody: readonly Stage[];
  readonly backendFailed: readonly Stage[];
  readonly upgrade: readonly Stage[];
  /** Some stage writes the response itself (http-proxy-3's selfHandleResponse). */
  readonly writesResponse: boolean;
}

export function compileStages(route: Route, switches: EffectiveSwitches, context: StageContext): CompiledStages {
  const all = STAGES.map((make) => make(route, switches, context)).filter((s): s is Stage => s !== undefined);
  const having = (hook: keyof Stage) => all.filter((s) => s[hook] !== undefined);
  const response = having('response');
  const responseBody = having('responseBody');
  return {
    all,
    request: having('request'),
    requestBody: having('requestBody'),
    beforeForward: having('beforeForward'),
    responseHead: having('responseHead'),
    response,
    responseBody,
    backendFailed: having('backendFailed'),
    upgrade: having('upgrade'),
    writesResponse: response.length > 0 || responseBody.length > 0,
  };
}

/**
 * Runs the request hooks in order: the first refusal, or undefined when all let the
 * request pass. Synchronous while every hook is (the usual case); from a hook that answers
 * with a promise on, the rest wait for it.
 */
export function runRequestStages(stages: readonly Stage[], ex: Exchange, from = 0): Verdict {
  for (let i = from; i < stages.length; i++) {
    const verdict = stages[i]!.request!(ex);
    if (verdict instanceof Promise) return verdict.then((refusal) => refusal ?? runRequestStages(stages, ex, i + 1));
    if (verdict) return verdict;
  }
  return undefined;
}

/** Runs the response hooks in order, then `done` with what to write; a hook may take its time (a promise). */
export function runResponseStages(stages: readonly Stage[], ex: Exchange, out: Outgoing, done: (out: Outgoing) => void, from = 0): void {
  for (let i = from; i < stages.length; i++) {
    const next = stages[i]!.response!(ex, out);
    if (next instanceof Promise) {
      // A hook that fails cuts this exchange, never the process.
      next.then((later) => runResponseStages(stages, ex, later, done, i + 1)).catch(() => ex.client.destroy());
      return;
    }
    out = next;
  }
  done(out);
}

/**
 * Runs the beforeForward hooks in order, then `done`; a hook that answers stops the chain,
 * and so does a client that left meanwhile (a throttle's latency is long enough for that).
 */
export function runBeforeForward(stages: readonly Stage[], ex: Exchange, done: () => void, from = 0): void {
  if (ex.clientGone) return;
  if (from === stages.length) return done();
  stages[from]!.beforeForward!(ex, () => runBeforeForward(stages, ex, done, from + 1));
}
