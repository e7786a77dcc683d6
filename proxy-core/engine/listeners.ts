// The two front doors — plain HTTP and HTTPS (HTTP/2 with HTTP/1.1 fallback) — wired to
// the same handlers, and closed gracefully: stop accepting, let requests in flight finish,
// cut what is left after the grace period.
import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { FirewallSettings } from '../contract/index.js';
import { guardConnections, HANDSHAKE_TIMEOUT_MS, LOCAL_CONNECTIONS, type ConnectionLimits } from './http/connection-guard.js';
import { isLoopbackAddress } from './lan/lan-peers.js';
import type { createProxyHandlers } from './proxy-handlers.js';

export interface ListenerAddress {
  host: string;
  port: number;
}

/**
 * Where to listen; `loopbackOnly` refuses other peers on a wildcard bind (macOS low ports)
 * except while `lanOpen()` says LAN sharing is on: then they go on to the LAN gate.
 */
export type ListenerWish = ListenerAddress & { loopbackOnly?: boolean; lanOpen?: () => boolean; connections?: ConnectionLimits | undefined };

/** What the HTTPS listener needs from a certificate authority; nothing more. */
export interface CertificateSource {
  /** For clients that send no SNI (https://127.0.0.1/). */
  readonly defaultCertificate: { cert: string; key: string };
  /** Lets the source renew the default certificate; the server swaps in what it announces. */
  refreshDefaultIfDue?(): void;
  onDefaultCertificate?(listener: (certificate: { cert: string; key: string }) => void): () => void;
  readonly sniCallback: (servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void) => void;
}

type Handlers = ReturnType<typeof createProxyHandlers>;
type AnyServer = http.Server | http2.Http2SecureServer;

export interface Listener {
  readonly address: ListenerAddress;
  close(graceMs: number): Promise<void>;
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

/** A connection with no request in progress. Node marks the one in progress on the socket. */
const isIdle = (socket: Socket) => !(socket as Socket & { _httpMessage?: unknown })._httpMessage;

async function listen(server: AnyServer, handlers: Handlers, wanted: ListenerWish): Promise<Listener> {
  guardConnections(server, wanted.connections ?? LOCAL_CONNECTIONS);
  if (wanted.loopbackOnly) {
    // LAN sharing is a choice the user makes, never a side effect of how we got port 80.
    server.on('connection', (socket: Socket) => {
      if (!isLoopbackAddress(socket.remoteAddress) && !wanted.lanOpen?.()) socket.destroy();
    });
  }
  // WebSockets and HTTP/1.1 connections, tracked so close() can end them; HTTP/2
  // sessions are told to go away and finish their streams.
  const upgraded = new Set<Socket>();
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.Http2Session>();
  const h2Sockets = new WeakSet<Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    handlers.onUpgrade(req, socket, head);
  });
  server.on('connect', handlers.onConnect);
  server.on('clientError', handlers.onClientError);
  if (!(server instanceof http.Server)) server.on('tlsClientError', handlers.onTlsError);
  server.on(server instanceof http.Server ? 'connection' : 'secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (!(server instanceof http.Server)) {
    server.on('session', (session: http2.Http2Session) => {
      // Without a listener, a session error (a client that misbehaves) would throw.
      session.on('error', () => {});
      sessions.add(session);
      h2Sockets.add(session.socket as Socket);
      session.once('close', () => sessions.delete(session));
    });
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, wanted.host, wanted.port));
    server.once('error', onError);
    server.listen(wanted.port, wanted.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  const address = { host: wanted.host, port: typeof bound === 'object' && bound ? bound.port : wanted.port };

  let closing: Promise<void> | undefined;
  const close = (graceMs: number) =>
    (closing ??= new Promise<void>((resolve) => {
      const sweepIdle = () => {
        for (const socket of sockets) if (!upgraded.has(socket) && !h2Sockets.has(socket) && isIdle(socket)) socket.destroy();
      };
      const sweep = setInterval(sweepIdle, 50);
      const deadline = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
        for (const session of sessions) session.destroy();
      }, graceMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve();
      });
      // A WebSocket never finishes by itself: end it now (HMR clients reconnect).
      for (const socket of upgraded) socket.destroy();
      for (const session of sessions) session.close();
      sweepIdle();
    }));
  return { address, close };
}

/**
 * settings.firewall as Node server options: the parser answers 431 and 408 itself (see
 * client-errors.ts). Node checks the timeouts every connectionsCheckingInterval (30 s by
 * default), so the interval follows the shortest timeout to keep the 408 near its time.
 */
function readLimits(limits: FirewallSettings | undefined): http.ServerOptions {
  if (!limits) return {};
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || Infinity);
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(shortest / 4))),
  };
}

export function listenHttp(handlers: Handlers, wanted: ListenerWish, limits?: FirewallSettings): Promise<Listener> {
  // Only WebSocket upgrades leave HTTP; any other (`curl --http2` sends `Upgrade: h2c`) is
  // served as the plain request it also is, instead of a socket http-proxy-3 would drop.
  const shouldUpgradeCallback = (req: http.IncomingMessage) => /^websocket$/i.test(req.headers.upgrade ?? '');
  return listen(http.createServer({ ...readLimits(limits), shouldUpgradeCallback }, handlers.onRequest), handlers, wanted);
}

/**
 * TLS 1.3 suites in the server's order: AES-128-GCM first. Every suite is as safe for a
 * local proxy, and AES-128 does less work per record than OpenSSL's first choice, AES-256
 * (Go's servers, Caddy among them, choose it too). TLS 1.2 keeps Node's list as it is
 * when the listener starts.
 */
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const serverCiphers = () => [...TLS13_SUITES, ...tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('TLS_'))].join(':');

export async function listenHttps(handlers: Handlers, wanted: ListenerWish, certificates: CertificateSource, limits?: FirewallSettings): Promise<Listener> {
  const tlsOptions = {
    minVersion: 'TLSv1.2' as const,
    ciphers: serverCiphers(),
    honorCipherOrder: true,
    SNICallback: certificates.sniCallback,
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  };
  const server = http2.createSecureServer(
    {
      allowHTTP1: true, // ALPN offers h2 and http/1.1; WebSockets come in over the latter
      ...readLimits(limits), // for HTTP/1.1 on this port; HTTP/2 gets the header limit as a setting
      ...(limits && { settings: { maxHeaderListSize: limits.maxHeaderBytes } }),
      ...tlsOptions,
      ...certificates.defaultCertificate,
    },
    // The compat API hands us objects shaped like http's; http-proxy-3 accepts both.
    handlers.onRequest as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  if (certificates.refreshDefaultIfDue) server.on('connection', () => certificates.refreshDefaultIfDue?.());
  const stop = certificates.onDefaultCertificate?.((certificate) => server.setSecureContext({ ...tlsOptions, ...certificate }));
  const listener = await listen(server, handlers, wanted).catch((error: Error) => {
    stop?.();
    throw error;
  });
  return { address: listener.address, close: (graceMs) => listener.close(graceMs).finally(() => stop?.()) };
}
