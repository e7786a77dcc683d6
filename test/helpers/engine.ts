// Starts the real engine in-process on 127.0.0.1:0 from a plain route list.
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { ConfigSchema, type Config, type ConfigInput, type RouteInput } from '../../proxy-core/contract/index.js';

/** A parsed Config listening on port 0, with the given routes and any other top-level fields. */
export function makeConfig(routes: RouteInput[], extra: Omit<ConfigInput, 'routes'> = {}): Config {
  return ConfigSchema.parse({ http: { port: 0 }, ...extra, routes });
}

export async function startTestEngine(routes: RouteInput[], extra: Omit<ConfigInput, 'routes'> = {}): Promise<Engine> {
  return startEngine({ config: makeConfig(routes, extra), http: { host: '127.0.0.1', port: 0 } });
}

/** For cleanup: a short grace so a test's hung connections do not hold the suite. */
export const closeEngine = (engine: Engine): Promise<void> => engine.close(100);
