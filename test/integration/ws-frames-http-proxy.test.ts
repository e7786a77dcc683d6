// How to tap a WebSocket that http-proxy-3 proxies, without losing or doubling bytes.
// http-proxy-3 unshifts the upgrade heads (client `head`, backend `proxyHead`) back onto
// the sockets and then pipes them. A 'data' listener added before that unshift (inside a
// `proxyReqWs` → 'upgrade' listener, which runs first) puts the socket in flowing mode, so
// the unshifted bytes are emitted to the tap alone, synchronously, and never reach the
// client; feeding the heads by hand as well counts them twice. Attaching the taps on the
// proxy's 'open' event (after the pipe) and letting the heads arrive as 'data' avoids both.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { FrameReader, type FrameMessage } from '../../proxy-core/capture/ws-frames.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const KEY = [1, 2, 3, 4];
/** A masked client text frame. */
const clientFrame = (text: string) => {
  const data = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x81, 0x80 | data.length, ...KEY]), Buffer.from(data.map((b, i) => b ^ KEY[i & 3]!))]);
};

describe('tapping http-proxy-3 WebSockets on the open event', () => {
  it('records every message once, including frames that rode in the upgrade heads, and the client still gets them', async () => {
    // A backend that greets at once: its frames share a TCP segment with the 101 (proxyHead).
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    wss.on('connection', (socket) => {
      socket.send('greeting-1');
      socket.send('greeting-2');
      socket.on('message', (data) => socket.send(`echo:${String(data)}`));
    });
    cleanups.push(() => wss.close());

    const proxy = createProxyServer({ target: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, ws: true });
    proxy.on('error', () => {});
    const recorded = { client: [] as FrameMessage[], server: [] as FrameMessage[] };
    const reader = (into: FrameMessage[]) => new FrameReader({ previewLimit: 1024, onMessage: (m) => into.push(m) });
    const pending = new WeakMap<object, net.Socket>();
    proxy.on('proxyReqWs', (proxyReq, _req, socket) => {
      proxyReq.once('upgrade', (_res, proxySocket: net.Socket) => pending.set(proxySocket, socket as net.Socket));
    });
    proxy.on('open', (proxySocket: net.Socket) => {
      const client = pending.get(proxySocket);
      if (!client) return;
      const fromClient = reader(recorded.client);
      const fromServer = reader(recorded.server);
      client.on('data', (chunk: Buffer) => fromClient.push(chunk));
      proxySocket.on('data', (chunk: Buffer) => fromServer.push(chunk));
    });
    const server = http.createServer();
    server.on('upgrade', (req, socket, head) => proxy.ws(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });

    // A raw client whose first frame travels in the same write as the upgrade request (head).
    const sock = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    cleanups.push(() => sock.destroy());
    let received = Buffer.alloc(0);
    const seen = (text: string) => received.includes(text);
    const until = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (seen(text) ? resolve() : sock.once('data', check));
        check();
      });
    sock.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const upgrade = [
      'GET /live HTTP/1.1',
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n');
    sock.write(Buffer.concat([Buffer.from(upgrade), clientFrame('in-the-head')]));
    await until('echo:in-the-head');
    sock.write(clientFrame('later'));
    await until('echo:later');

    expect(seen('greeting-1') && seen('greeting-2')).toBe(true);
    const texts = (messages: FrameMessage[]) => messages.map((m) => m.preview);
    expect(texts(recorded.client)).toEqual(['in-the-head', 'later']);
    expect(texts(recorded.server)).toEqual(['greeting-1', 'greeting-2', 'echo:in-the-head', 'echo:later']);
  });
});
