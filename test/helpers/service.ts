// A real control service for tests: engine (HTTP + HTTPS on port 0), capture store, CA in
// a temp data dir, and optionally the control server in front of it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { ConfigInput, Route, RouteInput, WireMessage } from '../../proxy-core/contract/index.js';
import { ConfigSchema, RouteSchema } from '../../proxy-core/contract/index.js';
import { saveConfig } from '../../proxy-core/config/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { openControlService, type ControlService } from '../../proxy-core/service/index.js';
import { startControlServer, type ControlServer } from '../../proxy-core/control-server/index.js';

export const RENDERER_DIR = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));
export const TOKEN = 'a'.repeat(48);

export interface TestService {
  service: ControlService;
  dataDir: string;
  configFile: string;
  /** The proxy's HTTP port. */
  port: number;
  control?: ControlServer;
  /** The run-only routes as handed to the service (parsed), to check it keeps its own copy. */
  overlay: Route[];
  close(): Promise<void>;
}

/** Writes `config` to a fresh data dir and opens the service on it. */
/** `overlay`: routes for this run only, as `portico serve --route` gives them. */
export async function startService(
  config: ConfigInput,
  options: { control?: boolean; overlay?: RouteInput[]; backlogLimit?: number } = {},
): Promise<TestService> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portico-service-'));
  const configFile = path.join(dataDir, 'config.json');
  await saveConfig(configFile, config);
  const overlay = (options.overlay ?? []).map((route) => RouteSchema.parse(route));
  const service = await openControlService({
    trust: await sandboxTrust(dataDir),
    dataDir,
    configFile,
    version: 'test',
    fileConfig: ConfigSchema.parse(config),
    overlay,
    log: () => {},
    start: (cfg, { hooks, certificates }) => startEngine({ config: cfg, ...hooks, http: { port: 0 }, https: { port: 0, certificates: certificates.store } }),
  });
  const control = options.control
    ? await startControlServer({ api: service, token: TOKEN, port: 0, rendererDir: RENDERER_DIR, backlogLimit: options.backlogLimit })
    : undefined;
  return {
    service,
    dataDir,
    configFile,
    port: service.parts.engine.http.port,
    control,
    overlay,
    async close() {
      await control?.close();
      await service.close(100);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client of the control server that collects every message it receives. */
export async function connectUi(port: number, token = TOKEN) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const received: WireMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (raw) => {
    received.push(JSON.parse(String(raw)) as WireMessage);
    for (const check of waiters) check();
  });
  let nextId = 1;
  return {
    ws,
    received,
    /** Sends a command and resolves with its reply. */
    call(method: string, params?: unknown) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return waitFor((m) => 'id' in m && m.id === id);
    },
    /** Resolves with the first message (already received or to come) that matches. */
    waitFor,
    close: () => ws.close(),
  };
  function waitFor(match: (m: WireMessage) => boolean, timeoutMs = 5_000): Promise<WireMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = received.find(match);
        if (!hit) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(received).slice(0, 500)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
}

/**
 * Trust stores and hosts file for a test service: a temp HOME and sysroot (no os-release,
 * so no system store; NSS databases only where the test makes them), never this machine's.
 */
export async function sandboxTrust(dir: string) {
  const { cliRunner } = await import('../../proxy-core/trust/index.js');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const home = path.join(dir, 'home');
  const sysroot = path.join(dir, 'sysroot');
  await mkdir(home, { recursive: true });
  await mkdir(path.join(sysroot, 'etc'), { recursive: true });
  const hostsFile = path.join(sysroot, 'etc', 'hosts');
  await writeFile(hostsFile, '127.0.0.1 localhost\n');
  return { env: { platform: 'linux' as const, home, sysroot, runner: cliRunner('none') }, hostsFile };
}
