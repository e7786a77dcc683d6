// Opens the control service (and with it the engine) for the desktop app. The app is a
// front door like `portico serve`: it decides the ports. A user double-clicking an icon
// cannot pass --http-port, so where the configured port is refused (80/443 without
// privileges, or taken) the app falls back to 8080/8443 and, failing HTTPS entirely,
// serves HTTP alone; the ports in force are in the `status` command and the tray.
import type { Config } from '../proxy-core/contract/index.js';
import { loadConfigOrSetAside, setAsideMessage } from '../proxy-core/config/index.js';
import { startEngine, type Engine } from '../proxy-core/engine/index.js';
import { choosePorts, tryBind } from '../proxy-core/ports/index.js';
import { defaultTrustEnvironment, sudoPromptRunner } from '../proxy-core/trust/index.js';
import { openControlService, type ControlService, type EngineHooks } from '../proxy-core/service/index.js';
import type { Certificates } from '../proxy-core/tls/index.js';

export interface AppServiceOptions {
  dataDir: string;
  configFile: string;
  version: string;
  log: (line: string) => void;
}

export async function startAppService(options: AppServiceOptions): Promise<ControlService> {
  const { config: fileConfig, setAside } = await loadConfigOrSetAside(options.configFile);
  if (setAside) options.log(`portico: ${setAsideMessage(options.configFile, setAside)}`);
  const service = await openControlService({
    ...options,
    fileConfig,
    configSetAside: setAside, // status.configSetAside, for the UI to show
    // Trust-store and hosts-file changes ask for the password in the OS's own dialog.
    trust: { env: defaultTrustEnvironment(sudoPromptRunner({ name: 'Portico' })) },
    start: (config, { hooks, certificates }) => startWithFallback(config, hooks, certificates, options.log),
  });
  service.watchFile(); // edits in an editor apply live, as with `portico serve`
  return service;
}

/**
 * The configured ports when the OS allows them, else the nearest fallbacks (the same
 * choice `portico serve` makes, with the reasons logged for the UI and the log file).
 */
async function startWithFallback(config: Config, hooks: EngineHooks, certificates: Certificates, log: (line: string) => void): Promise<Engine> {
  const wanted = { http: config.http.port, https: config.https.port };
  const ports = await choosePorts({ wanted, platform: process.platform, tryBind, host: config.http.host });
  for (const kind of ['http', 'https'] as const) if (ports[kind].reason) log(`portico: ${kind.toUpperCase()} ${ports[kind].reason}`);
  for (const offer of ports.offers) log(`portico: tip: ${offer.text}`);
  const engine = await startEngine({ config, log, ...hooks, http: ports.http, https: { ...ports.https, certificates: certificates.store, optional: true } });
  if (engine.httpsProblem) log(`portico: HTTPS not started: ${engine.httpsProblem}; serving HTTP alone`);
  return engine;
}
