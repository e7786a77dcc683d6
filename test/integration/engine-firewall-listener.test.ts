// Listener-wide limits (settings.firewall): headers too large get 431 and slow clients
// 408 — answered by Node's parser, recorded by our clientError handler — while other
// clients keep being served.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';

let backend: Backend;
let engine: Engine;
let store: CaptureStore;

beforeAll(async () => {
  backend = await startBackend('app');
  store = new CaptureStore(CaptureSettingsSchema.parse({}));
  const config = makeConfig([{ host: 'app.localhost', target: backend.url }], {
    firewall: { maxHeaderBytes: 2048, headersTimeoutMs: 600, requestTimeoutMs: 1200 },
  });
  engine = await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, recorder: store });
});

afterAll(async () => {
  await closeEngine(engine);
  await backend.close();
});

/** Sends `parts` with pauses between them, and collects what the server says until it closes. */
function slowClient(port: number, parts: string[], pauseMs: number): Promise<{ raw: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    let timer: NodeJS.Timeout | undefined;
    const send = (i: number) => {
      if (i >= parts.length || socket.destroyed) return;
      socket.write(parts[i]!);
      timer = setTimeout(() => send(i + 1), pauseMs);
    };
    socket.on('connect', () => send(0));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ raw, ms: Date.now() - started });
    });
  });
}

const marks = () => store.list().map((x) => x.marks['portico']);

describe('listener limits', () => {
  it('answers 431 to headers over maxHeaderBytes and records it', async () => {
    const reply = await rawRequest(engine.http.port, `GET / HTTP/1.1\r\nHost: app.localhost\r\nX-Big: ${'a'.repeat(4000)}\r\n\r\n`);
    expect(reply.status).toBe(431);
    expect(reply.raw).toContain('Connection: close');
    expect(backend.requests).toHaveLength(0);
    expect(store.list().find((x) => x.status === 431)?.marks['portico']).toMatch(/^firewall: headers over/);
    // Headers within the limit pass.
    expect((await request(engine.http.port, { host: 'app.localhost', headers: { 'x-small': 'a'.repeat(1000) } })).status).toBe(200);
  });

  it('answers 408 to a client that dribbles its headers, while another client is served', async () => {
    // A header line every 200 ms, never the blank line: the 600 ms headers timeout fires.
    const slow = slowClient(engine.http.port, ['GET / HTTP/1.1\r\n', 'Host: app.localhost\r\n', ...Array.from({ length: 30 }, (_, i) => `X-${i}: y\r\n`)], 200);
    const meanwhile = await request(engine.http.port, { host: 'app.localhost' });
    expect(meanwhile.status).toBe(200);
    const { raw, ms } = await slow;
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(5_000); // well before the client would have finished (6 s)
    expect(marks()).toContain('firewall: client too slow (settings.firewall timeouts)');
  });

  it('answers 408 to a client that stalls its body past requestTimeoutMs, and the exchange shows it', async () => {
    backend.reset();
    const { raw } = await slowClient(engine.http.port, ['POST /upload HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 100\r\n\r\n', 'abc'], 5_000);
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    const exchange = store.list().find((x) => x.url === '/upload');
    expect(exchange?.marks['portico']).toBe('firewall: client too slow (settings.firewall timeouts)');
    expect(exchange?.status).toBe(408);
    expect((await request(engine.http.port, { host: 'app.localhost' })).status).toBe(200);
  });
});
