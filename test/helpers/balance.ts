// For load-balancing tests: a real engine over several real backends, with health events
// and the capture store at hand, and a backend that holds requests until told to answer.
import type http from 'node:http';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import type { ConfigInput, EventPayload, RouteInput } from '../../proxy-core/contract/index.js';
import { answerWithName, type BackendHandler } from './backend.js';
import { makeConfig } from './engine.js';

export interface BalancedEngine {
  engine: Engine;
  store: CaptureStore;
  changes: EventPayload<'route.health'>[];
}

export async function startBalancedEngine(routes: RouteInput[], extra: Omit<ConfigInput, 'routes'> = {}): Promise<BalancedEngine> {
  const config = makeConfig(routes, extra);
  const store = new CaptureStore(config.capture);
  const changes: EventPayload<'route.health'>[] = [];
  const engine = await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, recorder: store, onHealth: (c) => changes.push(c) });
  return { engine, store, changes };
}

/** Requests to /hold wait until `release()`; every other path answers with the backend's name. */
export function holding(): { handler: BackendHandler; held: http.ServerResponse[]; release(): void } {
  const held: http.ServerResponse[] = [];
  return {
    held,
    handler: (req, res, backend) => {
      if (req.url !== '/hold') return answerWithName(req, res, backend);
      req.resume();
      held.push(res);
    },
    release() {
      for (const res of held.splice(0)) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('released');
      }
    },
  };
}

/** Names of the backends that answered, counted: { a: 10, b: 10 }. */
export function tally(bodies: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const body of bodies) counts[body] = (counts[body] ?? 0) + 1;
  return counts;
}
