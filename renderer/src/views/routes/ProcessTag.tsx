// Marks a route that belongs to a running process (`portico run`): which command, which
// pid, since when, and a button that stops it (the route goes when the process does).
import type { Route } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { useProcesses } from '../../store/processes.js';
import { useStore } from '../../store/store.js';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function ProcessTag({ route }: { route: Route }) {
  const process = useProcesses((s) => (route.id ? s.byRoute[route.id] : undefined));
  if (!process) return null;
  const stop = () =>
    void client
      .call('processes.stop', { id: process.id })
      .catch((error: Error) => useStore.getState().toast({ text: `Could not stop ${process.command}: ${error.message}`, tone: 'error' }));
  return (
    <span className="process-tag" aria-label={`Process route of ${process.command}`}>
      <span className="tag" title={`portico run in ${process.cwd}: removed when the process ends, never saved to the config file`}>
        process {process.pid}
      </span>
      <span className="mono process-command">{process.command}</span>
      <span className="muted">since {time(process.since)}</span>
      <button type="button" className="btn small" onClick={stop} aria-label={`Stop ${process.command}`}>
        Stop
      </button>
    </span>
  );
}

/** Whether the route is a process's (its own tag says so instead of "this run only"). */
export const isProcessRoute = (route: Route): boolean => route.id?.startsWith('run:process-') ?? false;
