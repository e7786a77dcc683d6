// Clear, undoable like a route's Delete. The list empties at once; the engine forgets those
// rows when the undo time is over (or at the next Clear, or when the window closes), so Undo
// only has to load the list again: nothing was lost yet. Rows recorded after the click stay.
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';
import { dropQueuedTraffic, enqueueTraffic } from '../../store/traffic-queue.js';

export const UNDO_MS = 10_000;
let pending: ReturnType<typeof setTimeout> | undefined;
/** The newest exchange the list showed when Clear was pressed: the engine forgets up to it. */
let through: string | undefined;

const fail = (what: string) => (error: Error) => useStore.getState().toast({ text: `Could not ${what}: ${error.message}`, tone: 'error' });

function commit(): void {
  clearTimeout(pending);
  pending = undefined;
  if (through !== undefined) client.call('traffic.clear', { through }).catch(fail('clear the traffic'));
}

function undo(): void {
  if (pending === undefined) return;
  clearTimeout(pending);
  pending = undefined;
  client.call('traffic.list').then((list) => {
    dropQueuedTraffic();
    useStore.getState().loadTraffic(list);
  }, fail('restore the traffic'));
}

export function clearTraffic(): void {
  if (pending !== undefined) commit();
  const { ids } = useStore.getState().traffic;
  const n = ids.length;
  // Ids are x<sequence>: the highest is the one recorded last.
  let newest = -1;
  for (const id of ids) newest = Math.max(newest, Number(id.slice(1)) || -1);
  through = newest >= 0 ? `x${newest}` : undefined;
  enqueueTraffic({ kind: 'cleared' });
  pending = setTimeout(commit, UNDO_MS);
  useStore.getState().toast({ text: `Cleared ${n} ${n === 1 ? 'request' : 'requests'}`, action: { label: 'Undo', run: undo } }, UNDO_MS);
}

window.addEventListener('pagehide', () => {
  if (pending !== undefined) commit();
});
