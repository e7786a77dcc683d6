// What the preload puts on `window.portico`, and the IPC channel names behind it: the IPC
// adapter (main), the preload (sandboxed, so it repeats the strings; ipc-preload.test.ts
// keeps them equal) and the renderer's IPC transport all describe the same wire.
import type { CommandInput, CommandName, CommandOutput, CommandReply } from './commands.js';
import type { EventName, EventPayload } from './events.js';

/** Every command has its own channel, `portico:<command>`; there is no generic one. */
export const COMMAND_CHANNEL_PREFIX = 'portico:';
/** Main → renderer: every contract event, as an EventMessage. */
export const EVENT_CHANNEL = 'portico:event';

export function commandChannel<N extends CommandName>(name: N): `portico:${N}` {
  return `${COMMAND_CHANNEL_PREFIX}${name}` as `portico:${N}`;
}

/**
 * A command's reply over IPC. Errors come back as data, not as a rejected invoke: Electron
 * turns a thrown error into "Error invoking remote method 'x': Error: …" and drops its fields.
 */
export type BridgeReply<N extends CommandName> = CommandReply<CommandOutput<N>>;

export type EventMessage = { [E in EventName]: { event: E; data: EventPayload<E> } }[EventName];

/** A command whose input may be left out (none, or all optional) takes it optionally. */
type CommandMethod<N extends CommandName> =
  undefined extends CommandInput<N> ? (input?: CommandInput<N>) => Promise<BridgeReply<N>> : (input: CommandInput<N>) => Promise<BridgeReply<N>>;

/** `window.portico` in the desktop app: one method per contract command, events, version. */
export type PorticoBridge = { readonly [N in CommandName]: CommandMethod<N> } & {
  /** Every contract event; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** The app's version (package.json). */
  readonly version: string;
};
