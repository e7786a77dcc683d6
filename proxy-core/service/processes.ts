// processes.*: routes owned by running processes (`portico run`). Each lives in the run's
// overlay (never in the file) exactly as long as its owner: the owner removes it when its
// command exits; the control server removes it when the owner's connection closes (the
// kernel closes it even after SIGKILL); and a liveness check on the owner's pid catches an
// owner that is gone while its connection somehow is not.
import { randomUUID } from 'node:crypto';
import type { ProcessRoute, Route } from '../contract/index.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { OVERLAY_PREFIX } from './route-ids.js';
import { CommandFailure } from './types.js';

type ProcessHandlers = Pick<Handlers, 'processes.list' | 'processes.add' | 'processes.remove' | 'processes.stop'>;

/** How often owners' pids are checked while any process route exists. */
const LIVENESS_MS = 1_000;

/** Whether a process with this id exists (EPERM: it does, as another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function processCommands(service: ServiceContext, alive: (pid: number) => boolean = processAlive): ProcessHandlers {
  const entries: ProcessRoute[] = [];
  let timer: NodeJS.Timeout | undefined;

  /** The overlay without the routes of `ids`, and with `add`; in the service's edit queue, which puts it in force. */
  const editRoutes = (ids: ReadonlySet<string>, add?: Route) =>
    service.editOverlay((overlay) => [...overlay.filter((r) => !ids.has(OVERLAY_PREFIX + r.id)), ...(add ? [add] : [])]);

  const changed = () => {
    service.emit('processes.changed', [...entries]);
    if (entries.length > 0 && !timer) {
      timer = setInterval(sweep, LIVENESS_MS);
      timer.unref();
    } else if (entries.length === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  /** Takes the entry out (its overlay route goes with the next editRoutes); false when it was gone already. */
  const drop = (id: string): boolean => {
    const index = entries.findIndex((e) => e.id === id);
    if (index < 0) return false;
    entries.splice(index, 1);
    return true;
  };

  function sweep(): void {
    const dead = entries.filter((e) => !alive(e.ownerPid));
    if (dead.length === 0) return;
    for (const entry of dead) {
      drop(entry.id);
      service.log(`${entry.host}: its process ${entry.ownerPid} is gone; route removed`);
    }
    void editRoutes(new Set(dead.map((e) => e.id))).then(changed);
  }

  const find = (id: string): ProcessRoute => {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw new CommandFailure(`no process route with id "${id}"`, undefined, 404);
    return entry;
  };

  return {
    'processes.list': () => [...entries],
    'processes.add': async (input) => {
      const host = input.host.toLowerCase();
      const taken = entries.find((e) => e.host === host);
      if (taken && alive(taken.ownerPid) && !input.force) {
        throw new CommandFailure(
          `${host} is taken by process ${taken.pid} (${taken.command}) in ${taken.cwd} — stop it, pick another --name, or take it over with --force`,
          undefined,
          409,
        );
      }
      if (taken) drop(taken.id);
      const routeId = `process-${randomUUID().slice(0, 8)}`;
      const route: Route = {
        id: routeId,
        host,
        target: `http://127.0.0.1:${input.port}`,
        enabled: true,
        https: 'both',
        changeOrigin: false,
      };
      const entry: ProcessRoute = {
        id: OVERLAY_PREFIX + routeId,
        host,
        port: input.port,
        pid: input.pid,
        ownerPid: input.ownerPid,
        command: input.command,
        cwd: input.cwd,
        since: new Date().toISOString(),
      };
      entries.push(entry);
      await editRoutes(new Set(taken ? [taken.id] : []), route);
      changed();
      return entry;
    },
    'processes.remove': async ({ id }) => {
      const removed = drop(id);
      if (removed) {
        await editRoutes(new Set([id]));
        changed();
      }
      return { removed };
    },
    'processes.stop': ({ id }) => {
      // Told over the owner's held connection, never by a signal from here: the engine
      // must not become a way to signal any pid a caller names.
      const entry = find(id);
      service.emit('processes.stopRequested', { id });
      return entry;
    },
  };
}
