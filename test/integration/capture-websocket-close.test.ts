// A WebSocket that ends after its 101 ended normally, whoever closed it: the record names
// who closed and with which code, and nothing calls it a failed (502) exchange.
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, expect, it, vi } from 'vitest';
import { closeAfter } from '../helpers/cleanup.js';
import { startService, type TestService } from '../helpers/service.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

async function echoServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  closeEach(wss, (s) => new Promise((resolve) => s.close(resolve)));
  await new Promise((resolve) => wss.once('listening', resolve));
  const backendCloses: number[] = [];
  wss.on('connection', (socket) => {
    socket.on('message', (data) => socket.send(data));
    socket.on('close', (code) => backendCloses.push(code));
  });
  return { wss, backendCloses, url: `http://127.0.0.1:${(wss.address() as { port: number }).port}` };
}

async function open(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/_hmr`, { headers: { host: 'hmr.localhost' } });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

it('a tab that says 1001 and drops the connection is recorded as closed by the client, not failed', async () => {
  const backend = await echoServer();
  running = await startService({ routes: [{ host: 'hmr.localhost', target: backend.url }] });
  const ws = await open(running.port);
  ws.close(1001, 'going away');
  ws.terminate(); // a closing tab does not wait for the backend's close frame
  await vi.waitFor(() => expect(backend.backendCloses).toEqual([1001]));
  await vi.waitFor(async () => {
    const [exchange] = await running.service.call('traffic.list', undefined);
    expect(exchange).toMatchObject({ kind: 'websocket', status: 101, state: 'done' });
    expect(exchange!.marks['closed']).toBe('by the client, code 1001');
    expect(exchange!.error).toBeUndefined();
  });
});

it('a close handshake the backend starts is recorded as closed by the backend with its code', async () => {
  const backend = await echoServer();
  running = await startService({ routes: [{ host: 'hmr.localhost', target: backend.url }] });
  const ws = await open(running.port);
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  for (const client of backend.wss.clients) client.close(4000, 'restarting');
  expect(await closed).toBe(4000);
  await vi.waitFor(async () => {
    const [exchange] = await running.service.call('traffic.list', undefined);
    expect(exchange).toMatchObject({ state: 'done' });
    expect(exchange!.marks['closed']).toBe('by the backend, code 4000');
  });
});
