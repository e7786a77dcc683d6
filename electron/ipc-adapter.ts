// The control service over Electron IPC: one `ipcMain.handle` per contract command and
// every contract event pushed to our window. Electron itself is not imported here: the
// caller passes `ipcMain` and our windows' web contents, so tests drive this module with
// fakes (the Electron binary is not needed to test the checks that matter).
//
// Every call is checked before it reaches the service: it must come from the top frame
// of one of our windows, showing our renderer. A page that got in some other way (a
// subframe, a navigation we failed to stop, another window) gets a refusal, not a service.
import { COMMAND_NAMES, events, type CommandError, type CommandName, type EventName } from '../proxy-core/contract/index.js';
import { CommandFailure, type ControlApi } from '../proxy-core/service/types.js';
import { EVENT_CHANNEL, commandChannel, type BridgeReply } from '../proxy-core/contract/index.js';

/** The parts of Electron's WebFrameMain the checks read. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
  readonly detached: boolean;
  isDestroyed(): boolean;
}

/** The parts of Electron's WebContents used here. */
export interface WebContentsLike {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The parts of Electron's IpcMainInvokeEvent the checks read. */
export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}

/** Electron's `ipcMain`, as far as this module uses it. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  api: ControlApi;
  /** Our windows' web contents: the only callers served and the only receivers of events. */
  contents: () => Iterable<WebContentsLike>;
  /** Where our renderer is loaded from: the file:// URL of renderer/dist/index.html, or the dev server's URL. */
  rendererUrl: string;
  /** Refused calls are logged here (they mean a bug or an attack). */
  log?: (line: string) => void;
}

export const EVENT_NAMES = Object.keys(events) as EventName[];

const REFUSED: CommandError = { message: 'Refused: the call did not come from the Portico window.' };

/**
 * Registers the handlers and event forwarding; returns the function that removes them
 * (before the service closes, so no call lands on a closed service).
 */
export function attachIpcAdapter(options: IpcAdapterOptions): () => void {
  const { ipcMain, api, rendererUrl } = options;
  const log = options.log ?? (() => {});
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), async (event, input): Promise<BridgeReply<CommandName>> => {
      const problem = senderProblem(event, options.contents(), rendererUrl);
      if (problem !== undefined) {
        log(`portico: refused IPC call ${name}: ${problem}`);
        return { ok: false, error: REFUSED };
      }
      try {
        return { ok: true, result: await api.call(name, input) };
      } catch (error) {
        return { ok: false, error: toCommandError(error) };
      }
    });
  }
  const unsubscribes = EVENT_NAMES.map((event) =>
    api.on(event, (data) => {
      for (const contents of options.contents()) {
        // Only a window that still shows our renderer hears the traffic.
        if (!contents.isDestroyed() && isTrustedRendererUrl(contents.mainFrame.url, rendererUrl)) {
          contents.send(EVENT_CHANNEL, { event, data });
        }
      }
    }),
  );
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name));
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

/**
 * Why this call may not reach the service, or undefined when it may: the sender frame
 * exists and is alive, is the top frame of one of our windows, and shows our renderer.
 */
export function senderProblem(event: InvokeEventLike, ours: Iterable<WebContentsLike>, rendererUrl: string): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'no sender frame (it navigated away or was destroyed)';
  try {
    if (frame.isDestroyed() || frame.detached) return 'the sender frame is gone';
    const contents = [...ours].find((c) => !c.isDestroyed() && c.id === event.sender.id);
    if (!contents) return `web contents ${event.sender.id} is not a Portico window`;
    const top = contents.mainFrame;
    if (frame.parent !== null || frame.processId !== top.processId || frame.routingId !== top.routingId) {
      return 'the sender is a subframe, not the top frame of the window';
    }
    if (!isTrustedRendererUrl(frame.url, rendererUrl)) return `the sender shows ${JSON.stringify(frame.url)}, not the Portico UI`;
    return undefined;
  } catch (error) {
    // Electron throws on a frame disposed mid-check; that is a refusal, not a crash.
    return `the sender frame could not be checked (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Is `url` our renderer? For file:// the same file (query and hash are the UI's own
 * business); for a dev server the same origin (the UI may route by path).
 */
export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  if (!URL.canParse(url) || !URL.canParse(rendererUrl)) return false;
  const got = new URL(url);
  const want = new URL(rendererUrl);
  if (want.protocol === 'file:') {
    return got.protocol === 'file:' && got.host === want.host && samePath(got.pathname, want.pathname);
  }
  if (want.protocol === 'http:' || want.protocol === 'https:') return got.origin === want.origin;
  return false;
}

/** Chromium and Node percent-encode file paths slightly differently; compare decoded. */
function samePath(a: string, b: string): boolean {
  try {
    return decodeURIComponent(a) === decodeURIComponent(b);
  } catch {
    return a === b;
  }
}

/** Only what the contract's CommandErrorSchema allows crosses to the renderer. */
export function toCommandError(error: unknown): CommandError {
  if (!(error instanceof Error)) return { message: String(error) };
  // Duck-typed as well as instanceof: a CommandFailure from another copy of the module
  // (sources vs out/) must keep its issues.
  const issues = error instanceof CommandFailure ? error.issues : (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.every((i) => typeof i === 'string')) return { message: error.message, issues: [...issues] };
  return { message: error.message };
}
