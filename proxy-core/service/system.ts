// status, settings and CA commands.
import { describeCa } from '../tls/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';

type SystemHandlers = Pick<Handlers, 'status' | 'settings.get' | 'settings.set' | 'ca.info' | 'cache.purge'>;

export function systemCommands(service: ServiceContext): SystemHandlers {
  // Everything but the routes and the rules (they have their own commands), so a new
  // setting needs no change here.
  const settings = () => {
    const { routes: _routes, rules: _rules, $schema: _schema, ...rest } = service.fileConfig;
    return rest;
  };
  return {
    status: () => service.status(),
    'settings.get': settings,
    'settings.set': async (patch) => {
      // Listener ports and CA suffixes are read at start: saved now, in force after a restart.
      await service.commit((current) => ({ ...current, ...patch }));
      return settings();
    },
    'cache.purge': (filter) => ({ purged: service.engine.purgeCache(filter) }),
    'ca.info': async () => {
      const { ca } = service.certificates;
      return { ...(await describeCa(service.dataDir, ca)), certPem: ca.certPem };
    },
  };
}
