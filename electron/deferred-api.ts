// A ControlApi usable before the service is up. The window (and with it the IPC
// handlers) appears at once; the engine may take a moment (ports, the CA on first run).
// Calls wait for the service; if it failed to start, they fail with its reason.
import type { CommandName, CommandOutput, EventName, EventPayload } from '../proxy-core/contract/index.js';
import { CommandFailure, type ControlApi } from '../proxy-core/service/types.js';

export function deferredApi(ready: Promise<ControlApi>): ControlApi {
  let resolved: ControlApi | undefined;
  const settled = ready.then(
    (api) => (resolved = api),
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CommandFailure(`The proxy did not start: ${reason}`, undefined, 503);
    },
  );
  settled.catch(() => {}); // reported by whoever awaits `ready`; here only calls see it

  return {
    async call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> {
      return (resolved ?? (await settled)).call(name, input);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (resolved) return resolved.on(event, listener);
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      settled.then(
        (api) => {
          if (!cancelled) unsubscribe = api.on(event, listener);
        },
        () => {},
      );
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
  };
}
