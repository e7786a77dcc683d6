// A real HTTP backend on 127.0.0.1:0 that answers with its own name and remembers what reached it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The request-target exactly as the backend received it (origin-form expected). */
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  /** The client side of the upstream socket, to tell connections apart. */
  remotePort: number;
}

export type BackendHandler = (req: http.IncomingMessage, res: http.ServerResponse, backend: Backend) => void;

export interface Backend {
  readonly name: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, as a route target names it. */
  readonly hostPort: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly server: http.Server;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (each upstream socket counts once). */
  connections: number;
  reset(): void;
  close(): Promise<void>;
}

/** The default answer: 200, `text/plain`, body = the backend's name, plus `x-backend: <name>`. */
export const answerWithName: BackendHandler = (req, res, backend) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': backend.name });
    res.end(backend.name);
  });
};

/** Starts a backend on 127.0.0.1 (on `port` when given, e.g. one a test kept free). */
export async function startBackend(name: string, handler: BackendHandler = answerWithName, port = 0): Promise<Backend> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const backend: Backend = {
    name,
    port: bound,
    hostPort: `127.0.0.1:${bound}`,
    url: `http://127.0.0.1:${bound}`,
    server,
    requests: [],
    connections: 0,
    reset() {
      backend.requests.length = 0;
      backend.connections = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', () => {
    backend.connections += 1;
  });
  server.on('request', (req, res) => {
    backend.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      remotePort: req.socket.remotePort ?? 0,
    });
    handler(req, res, backend);
  });
  // A backend that sees an aborted upstream must not take the test process down.
  server.on('clientError', (_err, socket) => socket.destroy());
  return backend;
}

/** A port on 127.0.0.1 where nothing is listening (bound, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
