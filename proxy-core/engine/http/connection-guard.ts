// What a connection must do to keep its place: send a request soon after it opens (after
// the TLS handshake, on HTTPS), and fit under the listener's cap. A client that opens
// sockets and sends nothing would otherwise hold them for minutes, and enough of them
// would shut everyone else out. At the cap, the oldest connection still waiting for its
// first request makes room, so a normal client is served while the quiet ones queue up.
import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Connections open at once on this listener. */
  maxConnections: number;
  /** How long a new connection may go without sending a complete request head (or HTTP/2 stream). */
  firstRequestMs: number;
}

/** For listeners on this machine: generous, a browser opens a few dozen at most. */
export const LOCAL_CONNECTIONS: ConnectionLimits = { maxConnections: 1024, firstRequestMs: 30_000 };
/** For LAN listeners: other devices, fewer of them, less patience. */
export const LAN_CONNECTIONS: ConnectionLimits = { maxConnections: 128, firstRequestMs: 10_000 };
/** A TLS handshake that takes longer is not a browser (Node's default is 120 s). */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** The TCP socket under a TLS one (the same socket for plain HTTP). */
const tcpOf = (socket: Socket): Socket => (socket as Socket & { _parent?: Socket })._parent ?? socket;

export function guardConnections(server: HttpServer | Http2SecureServer, limits: ConnectionLimits): void {
  let open = 0;
  // Waiting for their first request, oldest first (a Map keeps insertion order).
  const quiet = new Map<Socket, NodeJS.Timeout>();
  const spoke = (socket: Socket) => {
    const tcp = tcpOf(socket);
    const timer = quiet.get(tcp);
    if (timer === undefined) return;
    clearTimeout(timer);
    quiet.delete(tcp);
  };
  server.on('connection', (socket: Socket) => {
    if (open >= limits.maxConnections) {
      const oldest = quiet.keys().next();
      if (oldest.done) return void socket.destroy(); // every place taken by a client at work
      spoke(oldest.value);
      oldest.value.destroy();
    }
    open += 1;
    quiet.set(
      socket,
      setTimeout(() => socket.destroy(), limits.firstRequestMs),
    );
    socket.once('close', () => {
      open -= 1;
      spoke(socket);
    });
  });
  server.on('request', (req: { socket: Socket }) => spoke(req.socket));
  server.on('upgrade', (req: { socket: Socket }) => spoke(req.socket));
  server.on('session', (session: Http2Session) => session.once('stream', () => spoke(session.socket as Socket)));
}
