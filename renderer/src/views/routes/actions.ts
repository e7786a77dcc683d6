// Route actions that talk to the engine and report back with a toast. Delete is immediate
// (the 404 is real at once) and undoable: Undo creates the same route again, id and all
// (a run-only id puts it back among this run's routes, not in the config file).
import type { Route } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';

const fail = (what: string) => (error: Error) => useStore.getState().toast({ text: `Could not ${what}: ${error.message}`, tone: 'error' });

export function toggleRoute(route: Route, enabled: boolean): void {
  if (!route.id) return;
  client.call('routes.toggle', { id: route.id, enabled }).catch(fail(`${enabled ? 'enable' : 'disable'} ${route.host}`));
}

/** Drops stored responses (all, one route's or one URL's) and says how many went. */
export function purgeCache(filter: { route?: string | undefined; url?: string | undefined }, what: string): void {
  const { toast } = useStore.getState();
  client
    .call('cache.purge', filter)
    .then(({ purged }) => toast({ text: `Purged ${purged} stored ${purged === 1 ? 'response' : 'responses'} of ${what}` }), fail(`purge ${what}`));
}

export function deleteRoute(route: Route): void {
  if (!route.id) return;
  const { toast } = useStore.getState();
  client.call('routes.delete', { id: route.id }).then(
    (deleted) => {
      toast(
        {
          text: `Deleted ${deleted.host}${deleted.pathPrefix ?? ''}`,
          action: { label: 'Undo', run: () => void client.call('routes.create', deleted).catch(fail(`restore ${deleted.host}`)) },
        },
        10_000,
      );
    },
    fail(`delete ${route.host}`),
  );
}
