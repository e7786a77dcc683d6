// What the preload puts on `window.portico`, and the IPC channel names behind it. Types
// and two string constants only: the IPC adapter (main) and the preload (sandboxed, so
// it cannot import this at run time and repeats the strings; ipc-preload.test.ts keeps
// them equal) both describe the same wire.
import type { CommandError, CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../proxy-core/contract/index.js';

/** Every command has its own channel, `portico:<command>`; there is no generic one. */
export const COMMAND_CHANNEL_PREFIX = 'portico:';
/** Main → renderer: every contract event, as an EventMessage. */
export const EVENT_CHANNEL = 'portico:event';

export function commandChannel<N extends CommandName>(name: N): `portico:${N}` {
  return `${COMMAND_CHANNEL_PREFIX}${name}` as `portico:${N}`;
}

/**
 * A command's reply. Errors come back as data, not as a rejected invoke: Electron turns a
 * thrown error into "Error invoking remote method 'x': Error: …" and drops its fields.
 */
export type CommandReply<N extends CommandName> = { ok: true; result: CommandOutput<N> } | { ok: false; error: CommandError };

export type EventMessage = { [E in EventName]: { event: E; data: EventPayload<E> } }[EventName];

/** A command whose input may be left out (none, or all optional) takes it optionally. */
type CommandMethod<N extends CommandName> = undefined extends CommandInput<N>
  ? (input?: CommandInput<N>) => Promise<CommandReply<N>>
  : (input: CommandInput<N>) => Promise<CommandReply<N>>;

/** `window.portico` in the desktop app: one method per contract command, events, version. */
export type PorticoBridge = { readonly [N in CommandName]: CommandMethod<N> } & {
  /** Every contract event; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** The app's version (package.json). */
  readonly version: string;
};
