// The one contract client. It picks the wire at start-up — Electron IPC when the preload
// put `window.portico` there, else the control server's WebSocket — and gives the rest of
// the renderer typed commands and events that do not say which wire carries them.
import type {
  CommandError,
  CommandInput,
  CommandName,
  CommandOutput,
  EventMessage,
  EventName,
  EventPayload,
  PorticoBridge,
} from '../../../proxy-core/contract/index.js';
import { ipcTransport } from './ipc-transport.js';
import { takeToken } from './token.js';
import type { ConnectionState, Transport } from './transport.js';
import { wsTransport } from './ws-transport.js';

export type { ConnectionState } from './transport.js';

/** A command that failed: the server's message and, for invalid input, one line per field. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  readonly issues: string[];
  constructor(error: CommandError) {
    super(error.message);
    this.issues = error.issues ?? [];
  }
}

type Args<N extends CommandName> = undefined extends CommandInput<N> ? [input?: CommandInput<N>] : [input: CommandInput<N>];

export interface Client {
  call<N extends CommandName>(name: N, ...args: Args<N>): Promise<CommandOutput<N>>;
  on<E extends EventName>(event: E, listener: (data: EventPayload<E>) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  /** Why no wire could be set up (opened without a token), else undefined. */
  readonly problem: string | undefined;
}

export function createClient(transport: Transport | undefined, problem?: string): Client {
  return {
    get state() {
      return transport?.state ?? 'connecting';
    },
    problem,
    async call(name, ...args) {
      if (!transport) throw new CommandFailed({ message: problem ?? 'not connected' });
      const reply = await transport.call(name, args[0]);
      if (!reply.ok) throw new CommandFailed(reply.error);
      return reply.result as never;
    },
    on(event, listener) {
      if (!transport) return () => {};
      return transport.onEvent((message: EventMessage) => {
        if (message.event === event) listener(message.data as never);
      });
    },
    onState: (listener) => transport?.onState(listener) ?? (() => {}),
  };
}

/**
 * A new tab or a bookmark has no token (it never goes in a bookmark-able address for long):
 * say where to get the address again, since the page can do nothing without it.
 */
export const NO_TOKEN =
  'No access token, so this page cannot reach Portico. Run `portico ui` in a terminal to print the address with its token ' +
  '(`portico ui --open` opens it), or use the UI line that `portico serve` printed. The token itself is the file on its Token line ' +
  '(control-token in Portico’s data directory).';

function pickTransport(): { transport?: Transport; problem?: string } {
  const bridge = (window as { portico?: PorticoBridge }).portico;
  if (bridge) return { transport: ipcTransport(bridge) };
  const token = takeToken();
  if (!token) {
    return { problem: NO_TOKEN };
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return { transport: wsTransport(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`) };
}

const picked = pickTransport();
export const client: Client = createClient(picked.transport, picked.problem);
