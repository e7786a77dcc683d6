// Opens the control service: the CA, the capture store, the engine (started by the front
// door, which knows its ports), all wired to one ControlService.
import type { BreakpointResumed, Config, Paused, Route } from '../contract/index.js';
import type { Engine, EngineOptions, HealthListener } from '../engine/index.js';
import { TrafficBatcher } from '../capture/batcher.js';
import { CaptureStore } from '../capture/capture-store.js';
import type { SetAside } from '../config/index.js';
import { openCertificates, type Certificates } from '../tls/index.js';
import { ControlService } from './control-service.js';
import { effectiveRoutes } from './route-ids.js';
import type { TrustOptions } from './trust.js';
import { loadOrCreateLanToken } from './lan-token.js';
import { cliRunner, defaultTrustEnvironment } from '../trust/index.js';

export { ControlService } from './control-service.js';
export { CommandFailure, type ControlApi } from './types.js';
export { REPLAY_HEADER } from './traffic.js';
export { lanTokenFile } from './lan-token.js';

/** What the service hands the engine as it is: capture, health reporting, the LAN token. */
export type EngineHooks = Pick<EngineOptions, 'recorder' | 'onHealth' | 'lan' | 'onBreakpoint'>;

export interface OpenServiceOptions {
  dataDir: string;
  configFile: string;
  version: string;
  /** The config as read from the file. */
  fileConfig: Config;
  /** The config file was not JSON and was moved here (status reports it to the UI). */
  configSetAside?: SetAside | undefined;
  /** Routes for this run only (`--route`). */
  overlay?: Route[];
  log: (line: string) => void;
  /** Trust-store environment; default: this machine, $HOME, and the CLI runner (sudo/pkexec). */
  trust?: TrustOptions;
  /**
   * Starts the engine; the front door decides the ports and what to do when one is taken.
   * `hooks` go into startEngine as they are (capture and health reporting).
   */
  start: (config: Config, parts: { hooks: EngineHooks; certificates: Certificates }) => Promise<Engine>;
}

export async function openControlService(options: OpenServiceOptions): Promise<ControlService> {
  const certificates = await openCertificates(options.dataDir, options.fileConfig.ca.suffixes, { log: options.log });
  // The batcher exists before the service it reports to; it only fires after a timer.
  const target: { service?: ControlService } = {};
  const batcher = new TrafficBatcher(
    (payload) => target.service?.emit('traffic', payload),
    () => target.service?.hasListeners('traffic') ?? false,
  );
  const store = new CaptureStore(options.fileConfig.capture, batcher);
  const overlay = options.overlay ?? [];
  const config = { ...options.fileConfig, routes: effectiveRoutes(options.fileConfig.routes, overlay) };
  const onHealth: HealthListener = (change) => target.service?.emit('route.health', change);
  const lanToken = await loadOrCreateLanToken(options.dataDir);
  const onBreakpoint = {
    paused: (paused: Paused) => target.service?.emit('breakpoint.paused', paused),
    resumed: (resumed: BreakpointResumed) => target.service?.emit('breakpoint.resumed', resumed),
  };
  const engine = await options.start(config, { hooks: { recorder: store, onHealth, lan: { token: lanToken }, onBreakpoint }, certificates });
  const trust = options.trust ?? { env: defaultTrustEnvironment(cliRunner()) };
  target.service = new ControlService({ ...options, overlay, engine, store, batcher, certificates, trust, lanToken });
  return target.service;
}
