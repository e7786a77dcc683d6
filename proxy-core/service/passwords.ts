// routes.setPassword / routes.deletePassword: Basic-auth users edited through the
// service, which hashes here so the UI only ever sends the password it was typed, over its
// own authenticated channel, and the config file only ever holds hashes.
import { hashPassword } from '../auth/password-hash.js';
import { withoutUser, withUser } from '../auth/route-users.js';
import type { Route } from '../contract/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { CommandFailure } from './types.js';

type PasswordHandlers = Pick<Handlers, 'routes.setPassword' | 'routes.deletePassword'>;

export function passwordCommands(service: ServiceContext): PasswordHandlers {
  const find = (id: string): Route => {
    const route = service.routes().find((r) => r.id === id);
    if (!route) throw new CommandFailure(`no route with id "${id}"`, undefined, 404);
    return route;
  };
  // routes.update does the rest: file or overlay, validation, atomic save, events.
  const update = (id: string, route: Route) => service.call('routes.update', { id, route });

  return {
    'routes.setPassword': async ({ id, user, password }) => {
      find(id); // an unknown id fails before the hashing work
      const hash = await hashPassword(password);
      return update(id, withUser(find(id), user, hash)); // the route as it is now, after the await
    },
    'routes.deletePassword': async ({ id, user }) => {
      const next = withoutUser(find(id), user);
      if (!next) throw new CommandFailure(`route "${id}" has no user "${user}"`, undefined, 404);
      return update(id, next);
    },
  };
}
