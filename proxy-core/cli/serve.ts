// `portico serve`: flags → config → engine → banner → wait for a stop signal.
//
// The control service owns the running config: it follows edits to the file, and its
// control server (always on, loopback, behind the token) serves the browser UI, scripts
// and `portico run`, which finds it through <data dir>/control.json.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config, Route } from '../contract/index.js';
import { ConfigError, configPathIn, defaultDataDir, loadConfigOrSetAside, setAsideMessage, type SetAside } from '../config/index.js';
import { installLastResort, startEngine, type Engine } from '../engine/index.js';
import { caFiles, type Certificates } from '../tls/index.js';
import { choosePorts, tryBind } from '../ports/index.js';
import { lanTokenFile, openControlService, type ControlService, type EngineHooks } from '../service/index.js';
import { loadOrCreateToken, removeControlAddress, startControlServer, tokenFile, writeControlAddress } from '../control-server/index.js';
import { parseFlags, parsePort } from './args.js';
import { startBanner } from './banner.js';
import { collectGarbageWhenIdle } from '../system/idle-garbage.js';
import { lanLines } from './lan-banner.js';
import { CliError, UsageError } from './errors.js';
import { serveHelp } from './help.js';
import { parseRouteFlag } from './route-flag.js';
import { onStopSignals } from './signals.js';
import { packageRoot, porticoVersion } from './version.js';

/** How long a stop signal waits for requests in flight before closing them. */
export const GRACE_MS = 5_000;

export const FLAGS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'http-port': { type: 'string' },
  'https-port': { type: 'string' },
  'control-port': { type: 'string' },
  route: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ServeOptions {
  dataDir: string;
  configFile: string;
  /** --config was given: a missing file is then a mistake, not a first run. */
  configExplicit: boolean;
  httpPort?: number;
  httpsPort?: number;
  controlPort?: number;
  /** --route, in the order given. */
  routes: Route[];
}

export function parseServeArgs(argv: readonly string[]): ServeOptions | 'help' {
  const usage = "run 'portico serve --help'";
  const { values, positionals } = parseFlags(argv, FLAGS, usage);
  if (values.help) return 'help';
  if (positionals.length > 0) {
    throw new UsageError(`serve takes no arguments (got "${positionals[0]}") — ${usage}`);
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const options: ServeOptions = {
    dataDir,
    configFile: values.config !== undefined ? resolve(values.config) : configPathIn(dataDir),
    configExplicit: values.config !== undefined,
    routes: flagRoutes(values.route ?? [], usage),
  };
  if (values['http-port'] !== undefined) options.httpPort = parsePort('http-port', values['http-port']);
  if (values['https-port'] !== undefined) options.httpsPort = parsePort('https-port', values['https-port']);
  if (values['control-port'] !== undefined) options.controlPort = parsePort('control-port', values['control-port']);
  return options;
}

/** The --route routes; the same host and path twice is a slip, not an override. */
function flagRoutes(raw: readonly string[], usage: string): Route[] {
  const routes = raw.map(parseRouteFlag);
  const seen = new Map<string, string>();
  routes.forEach((route, i) => {
    const key = routeKey(route);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UsageError(`--route "${raw[i]}" repeats the host and path of --route "${earlier}"; for several targets write HOST=URL,URL — ${usage}`);
    }
    seen.set(key, raw[i] ?? '');
  });
  return routes;
}

/** Routes with the same key compete for the same requests. */
const routeKey = (route: Route): string => `${route.host} ${route.pathPrefix ?? '/'}`;

export async function loadFileConfig(options: ServeOptions): Promise<{ config: Config; found: boolean; setAside?: SetAside }> {
  const found = await stat(options.configFile).then(
    (s) => s.isFile() || 'not a file',
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : error.message),
  );
  if (typeof found === 'string') throw new CliError(`cannot read config ${options.configFile}: ${found}`);
  if (!found && options.configExplicit) {
    throw new CliError(`config file ${options.configFile} does not exist (leave out --config to start from defaults)`);
  }
  try {
    const loaded = await loadConfigOrSetAside(options.configFile);
    return { ...loaded, found: found && !loaded.setAside };
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new CliError(`cannot read config ${options.configFile}: ${(error as Error).message}`);
    throw error;
  }
}

/** Runs until stopped; resolves with the exit code. */
export async function serve(argv: readonly string[]): Promise<number> {
  const options = parseServeArgs(argv);
  if (options === 'help') {
    process.stdout.write(serveHelp());
    return 0;
  }
  const { config: fileConfig, found, setAside } = await loadFileConfig(options);
  if (setAside) process.stderr.write(`portico: ${setAsideMessage(options.configFile, setAside)}\n`);
  // Listen for stop signals before anything can print "Press Ctrl+C": a Ctrl+C that
  // arrives during start-up stops the engine as soon as it is up.
  const stopSignal = onStopSignals((second) => {
    process.stdout.write(`\n${second} again: quitting without waiting for requests in flight.\n`);
  });
  const commentary = engineLog();
  // From here on one bad exchange must not end the process (engine/last-resort.ts).
  installLastResort((line) => process.stderr.write(`portico: ${line}\n`));
  const notes: string[] = [];
  const service = await openControlService({
    dataDir: options.dataDir,
    configFile: options.configFile,
    version: porticoVersion(),
    fileConfig,
    configSetAside: setAside,
    overlay: options.routes,
    log: commentary.log,
    start: async (config, parts) => {
      const started = await start(config, options, commentary.log, parts);
      notes.push(...started.notes);
      return started.engine;
    },
  });
  const engine = service.parts.engine;
  // Always on (on loopback, behind the token): `portico run` finds it through control.json.
  const control = await startControl(service, options);
  const lan = lanLines(await service.call('lan.status', undefined), lanTokenFile(options.dataDir));

  process.stdout.write(
    startBanner({
      version: porticoVersion(),
      configFile: options.configFile,
      configFound: found,
      http: engine.http,
      https: engine.https,
      caFile: caFiles(options.dataDir).cert,
      ui: control.url,
      tokenFile: tokenFile(options.dataDir),
      config: service.effectiveConfig(),
      notes: [...notes, ...lan],
    }),
  );
  commentary.begin();
  service.watchFile();
  writeControlAddress(options.dataDir, { port: control.port, pid: process.pid, kind: 'serve', version: porticoVersion() });
  process.once('exit', () => removeControlAddress(options.dataDir));
  collectGarbageWhenIdle();

  const signal = await stopSignal;
  // Close first, then say so: whoever reads "stopping" finds the port already closed.
  removeControlAddress(options.dataDir);
  const closed = Promise.all([service.close(GRACE_MS), control.close()]);
  process.stdout.write(`\n${signal}: stopping; requests in flight get up to ${GRACE_MS / 1000} s to finish (Ctrl+C again to quit now)…\n`);
  // engine.close is bounded by the grace period; this only guards against a bug there.
  const watchdog = setTimeout(() => {
    process.stderr.write(`portico: still not stopped ${GRACE_MS / 1000 + 5} s after ${signal}; quitting anyway\n`);
    process.exit(1);
  }, GRACE_MS + 5_000);
  await closed;
  clearTimeout(watchdog);
  process.stdout.write('Stopped.\n');
  return 0;
}

interface Started {
  engine: Engine;
  /** Lines for the banner about HTTPS or the CA (a new root, HTTPS left off). */
  notes: string[];
}

/**
 * Starts the engine with HTTPS. When HTTPS cannot listen on a port the user did not ask
 * for by flag (443 without privileges, say), Portico still serves HTTP and says why.
 */
async function start(
  config: Config,
  options: ServeOptions,
  log: (line: string) => void,
  { hooks, certificates }: { hooks: EngineHooks; certificates: Certificates },
): Promise<Started> {
  const notes =
    certificates.created === 'suffixes changed'
      ? [`CA      new root for ${config.ca.suffixes.join(', ')} (ca.suffixes changed); the old one is in ${caFiles(options.dataDir).retired}`]
      : [];
  const ports = await choose(config, options, notes);
  // An HTTPS port given by flag is a promise to the user: failing to get it is an error.
  const https = { certificates: certificates.store, ...ports.https, optional: options.httpsPort === undefined };
  try {
    const engine = await startEngine({ config, log, ...hooks, http: ports.http, https });
    if (engine.httpsProblem) notes.push(`Note    HTTPS not started: ${engine.httpsProblem} — pick a port with --https-port 8443`);
    return { engine, notes };
  } catch (error) {
    throw listenError(error, options) ?? error;
  }
}

/**
 * The ports to listen on. A port given by flag is used as given (and a failure is an
 * error); the config's ports are tried first and, when the OS refuses them (80/443
 * without privileges, a port in use), the nearest fallback is taken and the reason told.
 */
async function choose(config: Config, options: ServeOptions, notes: string[]) {
  const explicit = { http: options.httpPort, https: options.httpsPort };
  const chosen =
    explicit.http !== undefined && explicit.https !== undefined
      ? undefined
      : await choosePorts({ wanted: configPorts(config), platform: process.platform, tryBind, host: config.http.host });
  const pick = (kind: 'http' | 'https') => {
    const flag = explicit[kind];
    if (flag !== undefined) return { port: flag };
    const choice = chosen![kind];
    if (choice.reason) notes.push(`Note    ${kind.toUpperCase()} ${choice.reason}`);
    return { port: choice.port, host: choice.host, loopbackOnly: choice.loopbackOnly };
  };
  const result = { http: pick('http'), https: pick('https') };
  for (const offer of chosen?.offers ?? []) notes.push(`Tip     ${offer.text}: sudo sysctl -w net.ipv4.ip_unprivileged_port_start=80`);
  return result;
}
const configPorts = (config: Config) => ({ http: config.http.port, https: config.https.port });

/**
 * The engine's running commentary (backend failures, config swaps), time-stamped.
 * Lines from before the banner are dropped: they announce the listeners it shows.
 */
function engineLog(): { log: (line: string) => void; begin: () => void } {
  let begun = false;
  return {
    log: (line) => {
      if (begun) process.stdout.write(`${new Date().toTimeString().slice(0, 8)}  ${line}\n`);
    },
    begin: () => {
      begun = true;
    },
  };
}

/** A listen failure in one line, with what to do about it; undefined for anything else. */
function listenError(error: unknown, options: ServeOptions): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code } = error as NodeJS.ErrnoException;
  const https = (error as { listener?: string }).listener === 'https';
  const flag = https ? '--https-port' : '--http-port';
  const explicit = https ? options.httpsPort !== undefined : options.httpPort !== undefined;
  const where = explicit ? flag : `${flag} (or ${https ? 'https' : 'http'}.port in ${options.configFile})`;
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(`${error.message} — pick another with ${where}`);
    case 'EACCES':
      // The engine's message already says why (low ports need privileges).
      return new CliError(
        process.platform === 'linux'
          ? `${error.message} — use ${flag} ${https ? 8443 : 8080}, or allow ports from 80 up once with "sudo sysctl -w net.ipv4.ip_unprivileged_port_start=80"`
          : `${error.message} — use ${flag} ${https ? 8443 : 8080}`,
      );
    case 'EADDRNOTAVAIL':
      return new CliError(`${error.message} — check http.host in ${options.configFile}`);
    default:
      // Any other listen error: the engine's message names the address and the cause.
      return code ? new CliError(error.message) : undefined;
  }
}

/** The control server on loopback, with the token that guards it. */
async function startControl(service: ControlService, options: ServeOptions) {
  const token = await loadOrCreateToken(options.dataDir);
  try {
    return await startControlServer({ api: service, token, port: options.controlPort ?? 0, rendererDir: rendererDir() });
  } catch (error) {
    await service.close(0);
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EADDRINUSE' ? `${(error as Error).message} — pick another with --control-port` : (error as Error).message);
  }
}

/** The built UI: renderer/dist at the package root. */
function rendererDir(): string {
  return join(packageRoot(), 'renderer', 'dist');
}
