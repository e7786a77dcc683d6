// Traffic rules as stages. Rules are global (not a route's) and ordered; the first enabled
// one that matches acts. Three stages, at three places in stages.ts:
//   ruleMatch      request: picks the rule on the path as the client addressed it (before
//                  a route's rewrite); a `fail` with a status page answers here.
//   ruleActions    beforeForward: respond, delay, fail (reset, timeout) and the request
//                  breakpoint, after the throttle's latency and before the cache lookup.
//   ruleResponses  response: the response breakpoint, after the cache stored the
//                  backend's own response (a paused edit is never cached).
// No action forwards anywhere: forwarding is still only to the route's own targets.
import type { Breakpoints } from './breakpoints.js';
import { compileRule, requestHostname, type CompiledRule } from './rule-match.js';
import { pauseRequest, pauseResponse } from './paused-exchange.js';
import { cutClient, refuseUpgrade, respondWith } from './respond-rule.js';
import type { Stage, StageFactory } from '../stage.js';
import type { Duplex } from 'node:stream';
import type { Rule } from '../../contract/index.js';

/** The rules in force and the paused exchanges: handed to the stage factories through the engine's parts. */
export interface TrafficRules {
  readonly rules: readonly CompiledRule[];
  readonly breakpoints: Breakpoints;
}

export function compileRules(rules: readonly Rule[], breakpoints: Breakpoints): TrafficRules {
  return { rules: rules.filter((r) => r.enabled).map(compileRule), breakpoints };
}

/** The enabled rules that could apply to this route, in order. */
function rulesFor(host: string, rules: TrafficRules | undefined): readonly CompiledRule[] {
  return rules?.rules.filter((r) => r.mayMatchRoute(host)) ?? [];
}

export const ruleMatch: StageFactory = (route, _switches, context) => {
  const rules = rulesFor(route.host, context.parts.rules);
  if (rules.length === 0) return undefined;
  return {
    name: 'rules',
    describe: () => `${rules.length} traffic rule(s)`,
    request(ex) {
      const hostname = requestHostname(ex.req, route.host);
      const hit = rules.find((r) => r.matches(ex.req, hostname));
      if (!hit) return undefined;
      ex.rule = hit;
      const action = hit.rule.action;
      if ('fail' in action && typeof action.fail === 'object') {
        const status = action.fail.status;
        return {
          status,
          title: 'Failed by rule',
          message: `Rule "${hit.label}" answers this request with ${status}.`,
          mark: `failed with ${status} by rule '${hit.label}'`,
        };
      }
      return undefined;
    },
  };
};

export const ruleActions: StageFactory = (route, _switches, context) => {
  const traffic = context.parts.rules;
  if (!traffic || rulesFor(route.host, traffic).length === 0) return undefined;
  return {
    name: 'rule actions',
    describe: () => 'respond, delay, fail, request breakpoint',
    beforeForward(ex, next) {
      const hit = ex.rule;
      if (!hit) return next();
      const action = hit.rule.action;
      const label = hit.label;
      if ('respond' in action) {
        ex.tap?.mark('rule', `mocked by rule '${label}'`);
        if (ex.kind === 'websocket') return refuseUpgrade(ex.client as Duplex, action.respond.status, label);
        respondWith(ex, action.respond, label).catch(() => cutClient(ex));
        return;
      }
      if ('delay' in action) {
        ex.tap?.mark('rule', `delayed ${action.delay.ms} ms by rule '${label}'`);
        const timer = setTimeout(next, action.delay.ms);
        ex.client.once('close', () => clearTimeout(timer));
        return;
      }
      if ('fail' in action) {
        if (action.fail === 'reset') {
          ex.tap?.mark('rule', `connection reset by rule '${label}'`);
          return cutClient(ex);
        }
        // 'timeout': never answer; the client's own timeout ends it (and closes the exchange).
        ex.tap?.mark('rule', `no answer (timeout) by rule '${label}'`);
        return;
      }
      ex.tap?.mark('rule', `breakpoint by rule '${label}'`);
      // WebSocket upgrades are not paused: they can be refused (respond, fail) or delayed.
      if (ex.kind !== 'http' || action.breakpoint === 'response') return next();
      // Nothing in a pause may end the process: a failure cuts this exchange only.
      pauseRequest(ex, traffic.breakpoints, hit.rule.id, label, next).catch(() => cutClient(ex));
    },
  };
};

export const ruleResponses: StageFactory = (route, _switches, context) => {
  const traffic = context.parts.rules;
  const pausing = rulesFor(route.host, traffic).some((r) => 'breakpoint' in r.rule.action && r.rule.action.breakpoint !== 'request');
  if (!traffic || !pausing) return undefined;
  const stage: Stage = {
    name: 'response breakpoint',
    describe: () => 'pauses responses for editing',
    response(ex, out) {
      const hit = ex.rule;
      if (ex.kind !== 'http' || !hit || !('breakpoint' in hit.rule.action) || hit.rule.action.breakpoint === 'request') return out;
      return pauseResponse(ex, out, traffic.breakpoints, hit.rule.id, hit.label);
    },
  };
  return stage;
};
