// Opens the control service (and with it the engine) for the desktop app. The app is a
// front door like `portico serve`: it decides the ports. A user double-clicking an icon
// cannot pass --http-port, so where the configured port is refused (80/443 without
// privileges, or taken) the app falls back to 8080/8443 and, failing HTTPS entirely,
// serves HTTP alone; the ports in force are in the `status` command and the tray.
import type { Config } from '../proxy-core/contract/index.js';
import { loadConfig } from '../proxy-core/config/index.js';
import { startEngine, type Engine, type EngineOptions } from '../proxy-core/engine/index.js';
import { openControlService, type ControlService } from '../proxy-core/service/index.js';
import type { Certificates } from '../proxy-core/tls/index.js';

export interface AppServiceOptions {
  dataDir: string;
  configFile: string;
  version: string;
  log: (line: string) => void;
}

const FALLBACK = { http: 8080, https: 8443 } as const;

export async function startAppService(options: AppServiceOptions): Promise<ControlService> {
  const fileConfig = await loadConfig(options.configFile);
  const service = await openControlService({
    ...options,
    fileConfig,
    start: (config, { hooks, certificates }) => startWithFallback(config, hooks, certificates, options.log),
  });
  service.watchFile(); // edits in an editor apply live, as with `portico serve`
  return service;
}

/** Tries the configured ports, then the fallbacks; HTTPS last of all is dropped. */
async function startWithFallback(
  config: Config,
  hooks: Pick<EngineOptions, 'recorder' | 'onHealth'>,
  certificates: Certificates,
  log: (line: string) => void,
): Promise<Engine> {
  const httpPorts = unique([config.http.port, FALLBACK.http]);
  const httpsPorts = [...unique([config.https.port, FALLBACK.https]), undefined];
  let lastError: unknown;
  for (const httpPort of httpPorts) {
    for (const httpsPort of httpsPorts) {
      try {
        return await startEngine({
          config,
          log,
          ...hooks,
          http: { port: httpPort },
          ...(httpsPort !== undefined && { https: { port: httpsPort, certificates: certificates.store } }),
        });
      } catch (error) {
        if (!isPortRefusal(error)) throw error;
        lastError = error;
        log(`portico: ${(error as Error).message}; trying another port`);
        // HTTP failed: the next HTTPS port will not help, move to the next HTTP port.
        if ((error as { listener?: string }).listener !== 'https') break;
      }
    }
  }
  throw lastError;
}

function isPortRefusal(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EADDRINUSE';
}

function unique(ports: number[]): number[] {
  return [...new Set(ports)];
}
