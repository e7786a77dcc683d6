// The control service: every command of the contract, implemented once over the engine,
// the config file, the capture store and the CA. Front doors (IPC, the control server)
// only parse transport and call `call`.
import { EventEmitter } from 'node:events';
import {
  commands,
  type CommandArgs,
  type CommandName,
  type CommandOutput,
  type Config,
  type EventName,
  type EventPayload,
  type Route,
} from '../contract/index.js';
import { ConfigError, issueLines, loadConfig, parseConfig, readableIssue, saveConfig, watchConfigFile, type SetAside } from '../config/index.js';
import type { Engine } from '../engine/index.js';
import type { CaptureStore } from '../capture/capture-store.js';
import type { TrafficBatcher } from '../capture/batcher.js';
import type { Certificates } from '../tls/index.js';
import { routeCommands } from './routes.js';
import { passwordCommands } from './passwords.js';
import { trafficCommands } from './traffic.js';
import { healthCommands } from './health.js';
import { systemCommands } from './system.js';
import { trustCommands, type TrustOptions } from './trust.js';
import { lanCommands } from './lan.js';
import { ruleCommands } from './rules.js';
import { processCommands } from './processes.js';
import { MAX_INPUT_DEPTH, nestedTooDeep } from './input-depth.js';
import { effectiveRoutes } from './route-ids.js';
import { CommandFailure, type ControlApi } from './types.js';
import type { ServiceContext } from './context.js';

export interface ServiceParts {
  engine: Engine;
  store: CaptureStore;
  batcher: TrafficBatcher;
  certificates: Certificates;
  dataDir: string;
  configFile: string;
  version: string;
  /** The config as in the file (routes without the overlay). */
  fileConfig: Config;
  /** The config file was not JSON at start and was moved here; the defaults run. */
  configSetAside?: SetAside | undefined;
  /** Routes for this run only (`--route`), never written to the file. The service keeps its own copy. */
  overlay: readonly Route[];
  log: (line: string) => void;
  /** Where trust stores are looked for and how their commands run (and elevate). */
  trust: TrustOptions;
  /** What other devices must show to use a shared route (see lan-token.ts). */
  lanToken: string;
}

type Handler = (input: never) => unknown;
export type Handlers = { [N in CommandName]: (input: CommandArgs<N>) => Promise<CommandOutput<N>> | CommandOutput<N> };

export class ControlService implements ControlApi, ServiceContext {
  private readonly emitter = new EventEmitter();
  private readonly handlers: Handlers;
  private stopWatching: () => void = () => {};
  fileConfig: Config;
  /** This run's routes (`--route`, and edits of them). */
  private overlay: readonly Route[];

  constructor(readonly parts: ServiceParts) {
    this.fileConfig = parts.fileConfig;
    this.overlay = [...parts.overlay];
    this.handlers = {
      ...routeCommands(this),
      ...passwordCommands(this),
      ...trafficCommands(this),
      ...systemCommands(this),
      ...trustCommands(this, parts.trust),
      ...healthCommands(this),
      ...lanCommands(this),
      ...processCommands(this),
      ...ruleCommands(this),
    };
    // A listener that throws must not take the service (or the engine) down with it.
    this.emitter.on('error', (error: Error) => parts.log(`event listener failed: ${error.message}`));
  }

  /** The routes in force: the file's plus this run's overlay, every one with an id. */
  routes(): Route[] {
    return effectiveRoutes(this.fileConfig.routes, this.overlay);
  }

  // The parts a command module may use (ServiceContext), by name.
  get engine(): Engine {
    return this.parts.engine;
  }
  get store(): CaptureStore {
    return this.parts.store;
  }
  get batcher(): TrafficBatcher {
    return this.parts.batcher;
  }
  get certificates(): Certificates {
    return this.parts.certificates;
  }
  get dataDir(): string {
    return this.parts.dataDir;
  }
  get version(): string {
    return this.parts.version;
  }
  get lanToken(): string {
    return this.parts.lanToken;
  }
  log(line: string): void {
    this.parts.log(line);
  }

  /** Where the engine listens and how full the capture store is. */
  status(): CommandOutput<'status'> {
    const { engine, store, dataDir, configFile, version } = this.parts;
    return {
      version,
      http: engine.http,
      https: engine.https,
      dataDir,
      configFile,
      capture: { enabled: this.fileConfig.capture.enabled, paused: store.paused, ...store.stats() },
      ...(this.parts.configSetAside && { configSetAside: this.parts.configSetAside }),
    };
  }

  effectiveConfig(): Config {
    return { ...this.fileConfig, routes: this.routes() };
  }

  async call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> {
    const spec = commands[name] as (typeof commands)[CommandName] | undefined;
    const handler = this.handlers[name] as Handler | undefined;
    if (!spec || !handler) throw new CommandFailure(`unknown command "${String(name)}"`, undefined, 404);
    if (nestedTooDeep(input)) throw new CommandFailure(`invalid input for ${name}`, [`nested deeper than ${MAX_INPUT_DEPTH} levels`]);
    const parsed = spec.input.safeParse(input, { error: readableIssue });
    if (!parsed.success) {
      throw new CommandFailure(`invalid input for ${name}`, issueLines(parsed.error.issues, input, spec.input));
    }
    return (await handler(parsed.data as never)) as CommandOutput<N>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const safe = (payload: EventPayload<E>) => {
      try {
        listener(payload);
      } catch (error) {
        this.parts.log(`event listener for ${event} failed: ${(error as Error).message}`);
      }
    };
    this.emitter.on(event, safe);
    return () => this.emitter.off(event, safe);
  }

  /** Whether any window or client listens for the event (so work for it can be skipped). */
  hasListeners(event: EventName): boolean {
    return this.emitter.listenerCount(event) > 0;
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }

  /** Validates a whole new file config; a problem is a CommandFailure naming the fields. */
  validate(raw: unknown): Config {
    try {
      return parseConfig(raw, this.parts.configFile);
    } catch (error) {
      if (error instanceof ConfigError) throw new CommandFailure('the change would make the config invalid', error.issues, 400);
      throw error;
    }
  }

  /**
   * Edits the file config: `edit` gets the config in force and returns the new one, which
   * is validated, saved (atomically) and put in force. Edits and reloads of the file run
   * one at a time, each on the result of the one before: two saves that overlap (two
   * settings sections, two windows) cannot undo each other, and a reload of the file
   * caused by our own save cannot put an older config back.
   */
  commit(edit: (current: Config) => unknown): Promise<void> {
    return this.serial(async () => {
      const next = this.validate(edit(this.fileConfig));
      const { $schema, ...rest } = next;
      await saveConfig(this.parts.configFile, $schema === undefined ? rest : next);
      this.apply(next);
    });
  }

  /** Edits this run's overlay; in the same queue as commit, and put in force the same way. */
  editOverlay(edit: (overlay: readonly Route[]) => Route[]): Promise<void> {
    return this.serial(async () => {
      this.overlay = edit(this.overlay);
      this.parts.engine.setConfig(this.effectiveConfig());
      this.emit('config.changed', this.effectiveConfig());
    });
  }

  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => {});
    return run;
  }

  private apply(next: Config): void {
    this.fileConfig = next;
    this.parts.engine.setConfig(this.effectiveConfig());
    this.parts.store.configure(next.capture);
    this.emit('config.changed', this.effectiveConfig());
    this.emit('listeners', this.status());
  }

  /** Follows edits to the config file made outside (an editor): applied live if valid. */
  watchFile(): void {
    this.stopWatching = watchConfigFile(this.parts.configFile, () => void this.serial(() => this.reloadFile()));
  }

  private async reloadFile(): Promise<void> {
    try {
      const next = await loadConfig(this.parts.configFile);
      if (JSON.stringify(next) === JSON.stringify(this.fileConfig)) return;
      if (JSON.stringify(next.ca) !== JSON.stringify(this.fileConfig.ca)) {
        this.parts.log('ca.suffixes changed: restart Portico to create a root for the new suffixes');
      }
      this.apply(next);
    } catch (error) {
      this.parts.log(`config change NOT applied (still running the previous one): ${(error as Error).message}`);
    }
  }

  async close(graceMs?: number): Promise<void> {
    this.stopWatching();
    this.parts.batcher.flush();
    await this.parts.engine.close(graceMs);
  }
}
