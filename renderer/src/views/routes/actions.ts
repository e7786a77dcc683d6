// Route actions that talk to the engine and report back with a toast. Delete is immediate
// (the 404 is real at once) and undoable: Undo creates the same route again, id and all.
import type { Route } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';

const fail = (what: string) => (error: Error) => useStore.getState().toast({ text: `Could not ${what}: ${error.message}`, tone: 'error' });

export function toggleRoute(route: Route, enabled: boolean): void {
  if (!route.id) return;
  client.call('routes.toggle', { id: route.id, enabled }).catch(fail(`${enabled ? 'enable' : 'disable'} ${route.host}`));
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
