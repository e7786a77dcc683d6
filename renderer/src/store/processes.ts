// Routes owned by running processes (`portico run`): their own small store, kept in step by
// the processes.changed event and reloaded whenever the wire (re)opens.
import { create } from 'zustand';
import type { ProcessRoute } from '../../../proxy-core/contract/index.js';
import { client, type Client } from '../api/client.js';

interface ProcessesState {
  /** By route id. */
  byRoute: Record<string, ProcessRoute>;
  set(list: readonly ProcessRoute[]): void;
}

export const useProcesses = create<ProcessesState>()((set) => ({
  byRoute: {},
  set: (list) => set({ byRoute: Object.fromEntries(list.map((p) => [p.id, p])) }),
}));

export function startProcessSync(api: Client = client): () => void {
  if (api.problem) return () => {};
  const load = () => void api.call('processes.list').then(useProcesses.getState().set, () => {});
  const offs = [
    api.on('processes.changed', (list) => useProcesses.getState().set(list)),
    api.onState((state) => {
      if (state === 'open') load();
    }),
  ];
  if (api.state === 'open') load();
  return () => offs.forEach((off) => off());
}
