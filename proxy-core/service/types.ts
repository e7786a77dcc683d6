// The control service as every front door sees it: call a command by name, listen to
// events. The IPC adapter and the control server are thin shells around these two.
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../contract/index.js';

export interface ControlApi {
  /**
   * Runs a command. The input is parsed with the command's schema first; an invalid
   * input rejects with a CommandFailure (message + field issues), never a crash.
   */
  call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What a front door sends back when a command fails. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(
    message: string,
    readonly issues?: string[],
    /** HTTP status for the control server: 400 invalid input, 404 unknown id, 409 conflict. */
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Typed input for callers that build it themselves (the renderer's client). */
export type Input<N extends CommandName> = CommandInput<N>;
