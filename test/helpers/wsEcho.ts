// A WebSocket echo backend on 127.0.0.1:0 that records each upgrade request it accepted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface WsEcho {
  readonly port: number;
  readonly hostPort: string;
  readonly url: string;
  /** Upgrade requests that reached this backend (url + headers). */
  readonly upgrades: { url: string; headers: http.IncomingHttpHeaders }[];
  /** Plain HTTP requests (not upgrades) that reached this backend. */
  readonly httpRequests: string[];
  close(): Promise<void>;
}

export async function startWsEcho(): Promise<WsEcho> {
  const server = http.createServer((req, res) => {
    echo.httpRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ws-echo http');
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    echo.upgrades.push({ url: req.url ?? '', headers: req.headers });
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => socket.terminate());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const echo: WsEcho = {
    port,
    hostPort: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    upgrades: [],
    httpRequests: [],
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return echo;
}

/** Opens a ws client to the proxy at 127.0.0.1:<port> with the given dev Host header. */
export function openWs(port: number, host: string, path = '/'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: { host } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`unexpected response ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** Sends one message and resolves with the next message received (text or binary as sent). */
export function roundTrip(ws: WebSocket, message: string | Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: Buffer, isBinary: boolean) => {
      cleanup();
      resolve({ data, isBinary });
    };
    const onClose = (code: number) => {
      cleanup();
      reject(new Error(`socket closed (${code}) while waiting for the echo`));
    };
    const cleanup = () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(message, { binary: Buffer.isBuffer(message) });
  });
}

/** Closes a client socket and waits for the close to finish. */
export function closeWs(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.terminate();
  });
}
