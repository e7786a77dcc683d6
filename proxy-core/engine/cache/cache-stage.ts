// The cache switch as a stage: the lookup before the backend (a hit answers, a stale entry
// turns the request into a revalidation), the backend's response stored, merged or
// replaced on its way out, and a stale copy when the backend cannot be reached. The RFC
// 9111 rules are in http-cache.ts; the steps in cached-response.ts.
import { isEncrypted } from '../http/incoming.js';
import { editResponseHead, writeResponse } from '../respond.js';
import type { StageFactory } from '../stage.js';
import { DEFAULT_TARGETS } from './targeted-fields.js';
import { cacheAfter, cacheBefore, serveStale, type CachePlan, type StaleServed } from './cached-response.js';

export const cacheStage: StageFactory = (route, switches, context) => {
  const setting = switches.cache;
  const { cache, revalidations } = context.parts;
  if (!setting || !cache) return undefined;
  const plan: CachePlan = {
    xCache: setting === true || setting.xCache,
    route: context.tag,
    counters: context.counters(),
    devSeconds: setting === true ? undefined : setting.devSeconds,
    targets: setting === true ? DEFAULT_TARGETS : setting.targets,
  };
  return {
    name: 'cache',
    describe: () =>
      [
        'RFC 9111 shared cache',
        plan.targets.length ? `obeying ${plan.targets.join(', ')} first` : 'ignoring targeted fields',
        ...(plan.devSeconds === undefined ? [] : [`dev mode ${plan.devSeconds} s`]),
      ].join(', '),
    beforeForward(ex, next) {
      if (ex.kind !== 'http') return next();
      const refresh = (stale: StaleServed) =>
        revalidations?.start(stale, {
          upstream: ex.upstream!,
          changeOrigin: route.changeOrigin,
          deadlineMs: ex.timeouts!.connectMs + ex.timeouts!.responseMs,
          editHead: (headers, status) => editResponseHead(ex, headers, status),
        });
      const ticket = cacheBefore(ex, cache, plan, isEncrypted(ex.req) ? 'https' : 'http', refresh);
      if (!ticket) return; // answered from the store
      ex.cache = ticket;
      next();
    },
    response: (ex, out) => (ex.cache ? cacheAfter(ex, out, ex.cache) : out),
    backendFailed(ex) {
      const out = ex.cache && serveStale(ex, ex.cache);
      if (!out) return false;
      writeResponse(ex, out);
      return true;
    },
  };
};
