// health.list: the targets' health as the engine keeps it (route.health events say when it changes).
import type { ControlService, Handlers } from './control-service.js';

export function healthCommands(service: ControlService): Pick<Handlers, 'health.list'> {
  return { 'health.list': () => service.parts.engine.health() };
}
