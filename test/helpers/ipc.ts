// Stand-ins for the Electron objects the IPC adapter touches (ipcMain, web contents, frames),
// so the adapter runs without the Electron binary. They mimic what matters: a channel has
// one handler (Electron throws on a second), arguments and replies go through the
// structured clone Electron uses, a frame knows its parent and its ids.
import type { FrameLike, InvokeEventLike, IpcMainLike, WebContentsLike } from '../../electron/ipc-adapter.js';
import type { CommandName, CommandOutput, EventName, EventPayload } from '../../proxy-core/contract/index.js';
import type { ControlApi } from '../../proxy-core/service/types.js';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke(channel, ...args)` from `event`'s frame would get back. */
  async invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

let nextId = 1;

export class FakeFrame implements FrameLike {
  detached = false;
  destroyed = false;
  readonly routingId = nextId++;

  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
    readonly processId = 1,
  ) {}

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeWebContents implements WebContentsLike {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;

  constructor(url: string) {
    this.mainFrame = new FakeFrame(url, null, this.id);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args: structuredClone(args) });
  }

  /** A child frame (an iframe) of this page, in the same renderer process. */
  subframe(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame, this.mainFrame.processId);
  }

  /** The invoke event for a call from `frame` (the top frame when not given). */
  eventFrom(frame: FakeFrame | null = this.mainFrame): InvokeEventLike {
    return { sender: this, senderFrame: frame };
  }
}

/** Records every call and subscription that reaches the wrapped api. */
export function recordingApi(api: ControlApi): ControlApi & { calls: { name: CommandName; input: unknown }[] } {
  const calls: { name: CommandName; input: unknown }[] = [];
  return {
    calls,
    call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> {
      calls.push({ name, input });
      return api.call(name, input);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return api.on(event, listener);
    },
  };
}
