// A backend that closes a kept-alive connection just as Portico reuses it (the race of
// Node's 5 s keepAliveTimeout): a GET is sent once more, on a fresh connection, and the
// client never sees it; a POST whose body went out is not (the backend may have acted).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { closeEngine, makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

/** Answers the first request on each connection and keeps it open; drops the connection at the second. */
function startDroppingBackend(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let answered = false;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (!chunk.includes('\r\n\r\n')) return; // the head is small: one chunk here
      if (answered) return void socket.destroy();
      answered = true;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as net.AddressInfo).port, connections: () => connections, close: () => server.close() }),
    ),
  );
}

let backend: Awaited<ReturnType<typeof startDroppingBackend>>;
let engine: Engine;
let store: CaptureStore;

beforeAll(async () => {
  backend = await startDroppingBackend();
  store = new CaptureStore(CaptureSettingsSchema.parse({}));
  const routes = [{ host: 'app.localhost', target: `http://127.0.0.1:${backend.port}` }];
  engine = await startEngine({ config: makeConfig(routes), http: { host: '127.0.0.1', port: 0 }, recorder: store });
});

afterAll(async () => {
  await closeEngine(engine);
  backend.close();
});

describe('a pooled connection the backend closed', () => {
  it('sends a GET again on a fresh connection, and marks the exchange', async () => {
    expect((await request(engine.http.port, { host: 'app.localhost' })).status).toBe(200);
    const before = backend.connections();
    const second = await request(engine.http.port, { host: 'app.localhost', path: '/again' });
    expect(second.status).toBe(200);
    expect(second.body).toBe('ok');
    expect(backend.connections()).toBe(before + 1);
    expect(store.list().at(-1)!.marks['retry']).toMatch(/closed by the backend; sent again/);
  });

  it('does not send a POST with a body again: the backend may have acted on it', async () => {
    expect((await request(engine.http.port, { host: 'app.localhost' })).status).toBe(200);
    const reply = await request(engine.http.port, { host: 'app.localhost', method: 'POST', body: 'order=1' });
    expect(reply.status).toBe(502);
  });
});
