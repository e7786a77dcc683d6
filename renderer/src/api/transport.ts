// What a transport does, whichever wire it uses. The client (client.ts) is the only code
// that sees a Transport; everything else in the renderer calls the typed client.
import type { CommandName, CommandReply, EventMessage } from '../../../proxy-core/contract/index.js';

/** `open`: commands go through; `retrying`: the wire dropped and we are reconnecting. */
export type ConnectionState = 'connecting' | 'open' | 'retrying';

export interface Transport {
  /** Sends one command; never rejects for a command error (that is a reply with ok:false). */
  call(name: CommandName, input: unknown): Promise<CommandReply>;
  onEvent(listener: (message: EventMessage) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
}
