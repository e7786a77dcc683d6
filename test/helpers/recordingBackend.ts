// A strict HTTP backend (Node's own parser, lenient flags off) that keeps every byte the
// proxy sent it, per connection: the corpus compares those bytes with what a request
// should have become, so any difference in how two parsers read a request shows up.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordingBackend {
  readonly port: number;
  readonly url: string;
  /** Every byte received since the last reset, on any connection, as latin1 text. */
  readonly received: string;
  /** Requests the backend's parser read (method + url + body length). */
  readonly parsed: { method: string; url: string; bodyBytes: number }[];
  /** Requests the backend's parser refused (it answered 400 and closed). */
  parseErrors: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startRecordingBackend(): Promise<RecordingBackend> {
  const server = http.createServer({ insecureHTTPParser: false }, (req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      backend.parsed.push({ method: req.method ?? '', url: req.url ?? '', bodyBytes });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`backend read ${bodyBytes} body bytes`);
    });
  });
  let received = '';
  server.on('connection', (socket: Socket) => {
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  });
  server.on('clientError', (_err, socket) => {
    backend.parseErrors += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const backend: RecordingBackend = {
    port,
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    parsed: [],
    parseErrors: 0,
    reset() {
      received = '';
      backend.parsed.length = 0;
      backend.parseErrors = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return backend;
}
