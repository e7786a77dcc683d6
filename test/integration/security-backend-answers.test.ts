// What a hostile backend may answer, at the real boundary: a scripted TCP backend sends a
// status Node refuses to write, or connection-specific headers an HTTP/2 client resets
// the stream over. The client gets a 502 (or the response without those headers) and the
// proxy goes on serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpBackend } from '../helpers/tcpBackend.js';
import { startTcpBackend } from '../helpers/tcpBackend.js';
import { request } from '../helpers/request.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir, type HttpsEngine } from '../helpers/tls.js';

const HOST = 'bad.localhost';
let dir: string;
let backend: TcpBackend;
let proxy: HttpsEngine;

/** The backend answers with the status line and headers the request's path names. */
function answerAsPathSays(socket: import('node:net').Socket, first: Buffer): void {
  const path = /^\S+ (\S+)/.exec(first.toString('latin1'))?.[1] ?? '/';
  const [, kind, value] = /^\/(status|header)\/(.*)$/.exec(path) ?? [];
  const body = 'backend body';
  const head =
    kind === 'status'
      ? `HTTP/1.1 ${value} Odd\r\nContent-Length: ${body.length}\r\n`
      : `HTTP/1.1 200 OK\r\n${decodeURIComponent(value ?? '')}\r\nContent-Length: ${body.length}\r\n`;
  socket.end(`${head}\r\n${body}`);
}

beforeAll(async () => {
  dir = await tempDataDir();
  backend = await startTcpBackend(answerAsPathSays);
  proxy = await startHttpsEngine(dir, [{ host: HOST, target: backend.url }]);
});
afterAll(async () => {
  await proxy?.close();
  await backend?.close();
  await removeDir(dir);
});

const BAD_STATUSES = ['000', '050', '099', '600', '999'];

describe('a backend status outside 100–599', () => {
  it.each(BAD_STATUSES)('HTTP/1.1 client, status %s: 502 naming the status, and the proxy still serves', async (status) => {
    const reply = await request(proxy.httpPort, { host: HOST, path: `/status/${status}` });
    expect(reply.status).toBe(502);
    expect(reply.body).toContain(`status ${Number(status)}`);
    const next = await request(proxy.httpPort, { host: HOST, path: '/status/200' });
    expect(next.status).toBe(200);
    expect(next.body).toBe('backend body');
  });

  it.each(BAD_STATUSES)('HTTP/2 client, status %s: 502 on the stream, and the session goes on', async (status) => {
    const client = await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem);
    try {
      const reply = await client.request({ ':path': `/status/${status}` });
      expect(reply.status).toBe(502);
      expect(reply.body).toContain(`status ${Number(status)}`);
      const next = await client.request({ ':path': '/status/200' });
      expect(next.status).toBe(200);
    } finally {
      await client.close();
    }
  });
});

describe('connection-specific response headers and an HTTP/2 client', () => {
  it.each([
    'Upgrade: websocket',
    'Proxy-Connection: keep-alive',
    'TE: trailers',
    'Keep-Alive: timeout=5',
    'HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA',
    'Connection: x-hop\r\nX-Hop: 1',
  ])('"%s" is dropped and the response arrives whole', async (line) => {
    const client = await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem);
    try {
      const reply = await client.request({ ':path': `/header/${encodeURIComponent(line)}` });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('backend body');
      const name = line.split(':')[0]!.toLowerCase();
      expect(reply.headers[name]).toBeUndefined();
      expect(reply.headers['x-hop']).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('Transfer-Encoding from the backend reaches an HTTP/2 client as a plain body', async () => {
    const chunked = await startTcpBackend((socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'));
    const engine = await startHttpsEngine(dir, [{ host: HOST, target: chunked.url }], {}, proxy.certs);
    const client = await connectH2(engine.httpsPort, HOST, proxy.certs.ca.certPem);
    try {
      const reply = await client.request({ ':path': '/' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('hello');
      expect(reply.headers['transfer-encoding']).toBeUndefined();
    } finally {
      await client.close();
      await engine.close();
      await chunked.close();
    }
  });
});
