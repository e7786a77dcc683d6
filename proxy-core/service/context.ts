// What a command module may use of the control service: named parts and the edit entry
// points, nothing else. Config edits (commit) and edits of this run's overlay
// (editOverlay) go through the same one-at-a-time queue, so no two edits interleave.
import type { CommandName, CommandOutput, Config, EventName, EventPayload, Route } from '../contract/index.js';
import type { TrafficBatcher } from '../capture/batcher.js';
import type { CaptureStore } from '../capture/capture-store.js';
import type { Engine } from '../engine/index.js';
import type { Certificates } from '../tls/index.js';

export interface ServiceContext {
  /** The engine's read side (where it listens, health, stats, LAN) and its cache purge; config goes in through commit. */
  readonly engine: Pick<Engine, 'http' | 'https' | 'health' | 'routeStats' | 'purgeCache' | 'lanStatus' | 'breakpoints'>;
  readonly store: CaptureStore;
  readonly batcher: TrafficBatcher;
  readonly certificates: Certificates;
  readonly dataDir: string;
  readonly version: string;
  /** What other devices must show to use a shared route (see lan-token.ts). */
  readonly lanToken: string;
  /** The config as in the file (routes without the overlay). */
  readonly fileConfig: Config;
  /** The routes in force: the file's plus this run's overlay, every one with an id. */
  routes(): Route[];
  status(): CommandOutput<'status'>;
  /** Edits the file config: validated, saved atomically, put in force; one edit at a time. */
  commit(edit: (current: Config) => unknown): Promise<void>;
  /** Edits this run's routes (never written to the file), in the same queue as commit. */
  editOverlay(edit: (overlay: readonly Route[]) => Route[]): Promise<void>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** One line for the front door's log. */
  log(line: string): void;
  /** Runs another command (parsed and checked like any call). */
  call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>;
}
