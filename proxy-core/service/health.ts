// health.list: the targets' health as the engine keeps it (route.health events say when it changes).
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';

export function healthCommands(service: ServiceContext): Pick<Handlers, 'health.list'> {
  return { 'health.list': () => service.engine.health() };
}
