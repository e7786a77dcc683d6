// The engine as a plain library: start it in-process (port 0 in tests), feed it config,
// close it. Listeners, routing table and upstream pool are wired together here and
// nowhere else.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../contract/index.js';
import { createProxyHandlers, type ProxyState } from './proxy-handlers.js';
import { compileRoutingTable } from './routing-table.js';
import { UpstreamPool } from './upstreams.js';

export interface ListenerAddress {
  host: string;
  port: number;
}

export interface EngineOptions {
  config: Config;
  /** Override the config's HTTP listener (CLI flags, tests). Port 0 picks a free port. */
  http?: Partial<ListenerAddress>;
  /** One line per notable event (listener up, config swapped, backend failures). */
  log?: (line: string) => void;
}

export interface Engine {
  /** Where the HTTP listener is actually bound (the real port when 0 was asked). */
  readonly http: ListenerAddress;
  /** The config now in force. */
  readonly config: Config;
  /**
   * Put a new config in force by swapping the routing table in one assignment.
   * Open connections, in-flight requests and WebSockets are not touched.
   */
  setConfig(config: Config): void;
  /** Stop accepting; let in-flight requests finish for up to `graceMs`; then close the rest. */
  close(graceMs?: number): Promise<void>;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `port ${port} on ${host}`;
  const message =
    err.code === 'EADDRINUSE'
      ? `${where} is already in use`
      : err.code === 'EACCES'
        ? `permission denied for ${where} (ports below 1024 usually need privileges)`
        : err.code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine`
          : `cannot listen on ${where}: ${err.message}`;
  return Object.assign(new Error(message), { code: err.code });
}

function listen(server: http.Server, host: string, port: number): Promise<ListenerAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, host, port));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const log = options.log ?? (() => {});
  const pool = new UpstreamPool();
  let config = options.config;
  let state: ProxyState = { table: compileRoutingTable(config.routes, pool), timeouts: config.timeouts };

  const handlers = createProxyHandlers(() => state, log);
  const server = http.createServer(handlers.onRequest);
  // WebSockets leave the server's request accounting once upgraded; keep them for close().
  const upgraded = new Set<Socket>();
  server.on('upgrade', (req, socket: Socket, head) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    handlers.onUpgrade(req, socket, head);
  });
  server.on('connect', handlers.onConnect);

  const host = options.http?.host ?? config.http.host;
  const address = await listen(server, host, options.http?.port ?? config.http.port);
  log(`HTTP listening on http://${address.host}:${address.port}`);

  let closing: Promise<void> | undefined;
  return {
    http: address,
    get config() {
      return config;
    },
    setConfig(next) {
      // Compile first: a config that fails to compile leaves the running one in place.
      const table = compileRoutingTable(next.routes, pool);
      state = { table, timeouts: next.timeouts };
      config = next;
      log(`config applied: ${table.hosts.length} host(s)`);
    },
    close(graceMs = 5_000) {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          pool.destroy();
          resolve();
        });
        // A WebSocket never finishes by itself: end it now (HMR clients reconnect).
        for (const socket of upgraded) socket.destroy();
        // Keep-alive connections go as soon as their in-flight request is done...
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        // ...and whatever is still running after the grace period is cut.
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
