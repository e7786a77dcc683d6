// WebSocket capture through the real engine: both directions recorded once each, and a
// backend that speaks first (an HMR "connected" hello) still reaches the client.
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, expect, it, vi } from 'vitest';
import { closeAfter } from '../helpers/cleanup.js';
import { startService, type TestService } from '../helpers/service.js';
import { closeWs, roundTrip } from '../helpers/wsEcho.js';

const closeEach = closeAfter('each');
let running: TestService;
afterEach(() => running?.close());

it('records client and server messages of a proxied WebSocket, without stealing the first one', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  closeEach(wss, (s) => new Promise((resolve) => s.close(resolve)));
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    socket.send('{"type":"connected"}'); // before the client says anything
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  const port = (wss.address() as { port: number }).port;
  running = await startService({ routes: [{ host: 'hmr.localhost', target: `http://127.0.0.1:${port}` }] });

  // Listen before the handshake completes: the hello may ride in with the 101.
  const ws = new WebSocket(`ws://127.0.0.1:${running.port}/__vite_hmr`, { headers: { host: 'hmr.localhost' } });
  closeEach(ws, closeWs);
  const hello = await new Promise<string>((resolve, reject) => {
    ws.once('message', (data) => resolve(String(data)));
    ws.once('error', reject);
  });
  expect(hello).toBe('{"type":"connected"}');
  expect((await roundTrip(ws, 'ping from client')).data.toString()).toBe('ping from client');
  expect((await roundTrip(ws, Buffer.from([1, 2, 3]))).isBinary).toBe(true);

  const [exchange] = await running.service.call('traffic.list', undefined);
  expect(exchange).toMatchObject({ kind: 'websocket', status: 101, url: '/__vite_hmr', route: 'hmr.localhost' });
  await vi.waitFor(async () => expect((await running.service.call('traffic.messages', { id: exchange!.id })).length).toBe(5));
  const messages = await running.service.call('traffic.messages', { id: exchange!.id });
  expect(messages.map((m) => `${m.direction} ${m.opcode} ${m.preview}`)).toEqual([
    'server text {"type":"connected"}',
    'client text ping from client',
    'server text ping from client',
    'client binary AQID',
    'server binary AQID',
  ]);
});
