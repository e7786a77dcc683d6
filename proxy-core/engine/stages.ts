// The policies a route may carry, in the order a request meets them (DESIGN.md, "The
// request's way"): firewall, then LAN sharing and auth, then the rules that reshape the
// request. Add a policy by writing its factory and listing it here.
import type { IncomingMessage } from 'node:http';
import type { Route } from '../contract/index.js';
import type { ExchangeTap } from './capture/capture-tap.js';
import { headerRules } from './policies/header-rules.js';
import { redirectRoute } from './policies/redirect.js';
import type { PolicyFactory, Refusal, RequestKind, RouteDefaults, RoutePolicy } from './stage.js';
import { urlRewrite } from './policies/path-rewrite.js';
import { basicAuthPolicy } from './policies/basic-auth.js';
import { bodyLimitPolicy } from './policies/body-limit.js';
import { ipAllowPolicy } from './policies/ip-allow.js';
import { pathDenyPolicy } from './policies/path-deny.js';
import { rateLimitPolicy } from './policies/rate-limit.js';

const FACTORIES: readonly PolicyFactory[] = [ipAllowPolicy, rateLimitPolicy, pathDenyPolicy, bodyLimitPolicy, basicAuthPolicy, redirectRoute, urlRewrite, headerRules];

export interface CompiledPolicies {
  /** Only the policies with a request step, so the hot path loops over nothing extra. */
  readonly request: readonly RoutePolicy[];
  readonly response: readonly RoutePolicy[];
  readonly watch: readonly RoutePolicy[];
}

const NONE: CompiledPolicies = { request: [], response: [], watch: [] };

export function compilePolicies(route: Route, defaults: RouteDefaults | undefined): CompiledPolicies {
  const built = FACTORIES.map((make) => make(route, defaults)).filter((p): p is RoutePolicy => p !== undefined);
  if (built.length === 0) return NONE;
  return { request: built.filter((p) => p.request), response: built.filter((p) => p.response), watch: built.filter((p) => p.watch) };
}

/**
 * Runs the request steps in order: the first refusal, or undefined when all let the
 * request pass. Synchronous while every step is (the usual case); from a step that answers
 * with a promise on, the rest wait for it.
 */
export function runRequestPolicies(
  policies: readonly RoutePolicy[],
  req: IncomingMessage,
  kind: RequestKind,
  tap: ExchangeTap | undefined,
  from = 0,
): Refusal | undefined | Promise<Refusal | undefined> {
  for (let i = from; i < policies.length; i++) {
    const verdict = policies[i]!.request!(req, kind, tap);
    if (verdict instanceof Promise) return verdict.then((refusal) => refusal ?? runRequestPolicies(policies, req, kind, tap, i + 1));
    if (verdict) return verdict;
  }
  return undefined;
}
