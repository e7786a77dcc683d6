// routes.* commands: edits go to the config file (atomically) and into force at once.
// Routes from --route live in memory only: editing one changes this run, not the file,
// and creating one with a run-only id (the UI's undo of a delete) puts it back there.
import type { Route } from '../contract/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { newRouteId, OVERLAY_PREFIX, routeId } from './route-ids.js';
import { CommandFailure } from './types.js';

type RouteHandlers = Pick<Handlers, 'routes.list' | 'routes.create' | 'routes.update' | 'routes.delete' | 'routes.toggle' | 'routes.stats'>;

export function routeCommands(service: ServiceContext): RouteHandlers {
  const find = (id: string): Route => {
    const route = service.routes().find((r) => r.id === id);
    if (!route) throw new CommandFailure(`no route with id "${id}"`, undefined, 404);
    return route;
  };

  /** Replaces (or with `next` undefined, removes) the route `id`, wherever it lives. */
  const replace = async (id: string, next: Route | undefined): Promise<void> => {
    if (id.startsWith(OVERLAY_PREFIX)) {
      const own = id.slice(OVERLAY_PREFIX.length);
      return service.editOverlay((overlay) => overlay.flatMap((r) => (OVERLAY_PREFIX + routeId(r) !== id ? [r] : next ? [{ ...next, id: own }] : [])));
    }
    await service.commit((current) => ({
      ...current,
      routes: current.routes.flatMap((r) => (routeId(r) !== id ? [r] : next ? [{ ...next, id }] : [])),
    }));
  };

  return {
    'routes.list': () => service.routes(),
    'routes.create': async (route) => {
      const id = route.id ?? newRouteId();
      if (service.routes().some((r) => r.id === id)) throw new CommandFailure(`a route with id "${id}" exists already`, undefined, 409);
      if (id.startsWith(OVERLAY_PREFIX)) {
        const added = { ...route, id: id.slice(OVERLAY_PREFIX.length) };
        await service.editOverlay((overlay) => [...overlay, added]);
        return find(id);
      }
      const created = { ...route, id };
      await service.commit((current) => ({ ...current, routes: [...current.routes, created] }));
      return find(id);
    },
    'routes.update': async ({ id, route }) => {
      find(id);
      await replace(id, route);
      return find(id);
    },
    'routes.delete': async ({ id }) => {
      const route = find(id);
      await replace(id, undefined);
      return route;
    },
    'routes.toggle': async ({ id, enabled }) => {
      const route = find(id);
      await replace(id, { ...route, enabled });
      return find(id);
    },
    'routes.stats': () => {
      const inForce = new Set(service.routes().map((r) => r.id));
      return service.engine.routeStats().filter((stats) => inForce.has(stats.route));
    },
  };
}
