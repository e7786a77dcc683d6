// A scriptable raw TCP backend: the test decides what happens once a request's first bytes
// arrive (answer half, hang, send garbage, reset). It knows which of its sockets are still
// open, so a test can check the proxy really closed its side of the upstream connection.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpBackend {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections still open. */
  readonly open: number;
  /** Everything received on any connection, as latin1 text. */
  readonly received: string;
  close(): Promise<void>;
}

export async function startTcpBackend(onRequest: (socket: net.Socket, firstChunk: Buffer) => void): Promise<TcpBackend> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let received = '';
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.once('data', (chunk: Buffer) => onRequest(socket, chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    get received() {
      return received;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** TCP sockets open in this process (clients, the engine's both sides, backends). */
export const openTcpSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

/** Waits (up to `ms`) for `condition`; resolves with its last value either way, for the assertion. */
export async function eventually<T>(probe: () => T, condition: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = probe();
  while (!condition(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = probe();
  }
  return value;
}
