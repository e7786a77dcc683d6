// A real ws client and ws server talk through a tiny TCP proxy that taps both directions
// into FrameReaders, as the engine's capture will: what the readers record must equal what
// the peers sent, whatever chunks TCP delivers.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FrameReader, type FrameMessage } from '../../proxy-core/capture/ws-frames.js';

const PREVIEW = 4096;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Feeds a direction to a FrameReader once the HTTP upgrade head (up to CRLFCRLF) has passed. */
function tap(socket: net.Socket, messages: FrameMessage[], errors: Error[]): void {
  const reader = new FrameReader({ previewLimit: PREVIEW, onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) });
  let head: Buffer | undefined = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    if (!head) return reader.push(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const rest = head.subarray(end + 4);
    head = undefined;
    if (rest.length) reader.push(rest);
  });
}

async function startTapProxy(upstreamPort: number) {
  const recorded = { client: [] as FrameMessage[], server: [] as FrameMessage[], errors: [] as Error[] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    tap(client, recorded.client, recorded.errors);
    tap(upstream, recorded.server, recorded.errors);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, recorded };
}

async function startEchoServer(options: { perMessageDeflate?: boolean | object } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary })));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  return (wss.address() as AddressInfo).port;
}

function connect(port: number, perMessageDeflate = false): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { perMessageDeflate });
  cleanups.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const nextMessage = (ws: WebSocket) => new Promise<Buffer>((resolve) => ws.once('message', (data) => resolve(data as Buffer)));

async function converse(ws: WebSocket, oneMb: Buffer): Promise<{ code: number; reason: string }> {
  const sendAndEcho = async (send: () => void) => {
    const echoed = nextMessage(ws);
    send();
    await echoed;
  };
  await sendAndEcho(() => ws.send('hello, server'));
  await sendAndEcho(() => ws.send(Buffer.from([0, 1, 2, 253, 254, 255]), { binary: true }));
  await sendAndEcho(() => ws.send(oneMb, { binary: true }));
  // Fragmented on the wire: two frames, one message.
  await sendAndEcho(() => {
    ws.send('frag-one|', { fin: false });
    ws.send('frag-two', { fin: true });
  });
  await new Promise<void>((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping(Buffer.from('are you there'));
  });
  return new Promise((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.close(4000, 'done here');
  });
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

describe('FrameReader on a real ws conversation through a TCP proxy', () => {
  it('records text, binary, a 1 MB message, fragments, ping/pong and close, both directions', async () => {
    const proxy = await startTapProxy(await startEchoServer());
    const ws = await connect(proxy.port);
    const oneMb = randomBytes(1 << 20);
    const closed = await converse(ws, oneMb);
    expect(closed).toEqual({ code: 4000, reason: 'done here' });

    const data = (pong: 'ping' | 'pong'): FrameMessage[] => [
      { opcode: 'text', size: 13, preview: 'hello, server', previewTruncated: false },
      { opcode: 'binary', size: 6, preview: b64(Buffer.from([0, 1, 2, 253, 254, 255])), previewTruncated: false },
      { opcode: 'binary', size: 1 << 20, preview: b64(oneMb.subarray(0, PREVIEW)), previewTruncated: true },
      { opcode: 'text', size: 17, preview: 'frag-one|frag-two', previewTruncated: false },
      { opcode: pong, size: 13, preview: b64('are you there'), previewTruncated: false },
      { opcode: 'close', size: 11, preview: 'done here', previewTruncated: false, closeCode: 4000 },
    ];
    expect(proxy.recorded.errors).toEqual([]);
    expect(proxy.recorded.client).toEqual(data('ping'));
    expect(proxy.recorded.server).toEqual(data('pong'));
  });

  it('marks permessage-deflate messages compressed and previews their raw bytes', async () => {
    const proxy = await startTapProxy(await startEchoServer({ perMessageDeflate: { threshold: 0 } }));
    const ws = await connect(proxy.port, true);
    expect(ws.extensions).toContain('permessage-deflate');
    const text = 'compress me '.repeat(500);
    const echoed = nextMessage(ws);
    ws.send(text);
    expect((await echoed).toString()).toBe(text);
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
    });

    expect(proxy.recorded.errors).toEqual([]);
    for (const side of [proxy.recorded.client, proxy.recorded.server]) {
      const [message, closeFrame] = side;
      expect(message).toMatchObject({ opcode: 'text', compressed: true, previewTruncated: false });
      // Compressed on the wire: far smaller than the text, and not the text itself.
      expect(message!.size).toBeLessThan(text.length / 10);
      expect(Buffer.from(message!.preview, 'base64')).toHaveLength(message!.size);
      expect(closeFrame).toEqual({ opcode: 'close', size: 2, preview: '', previewTruncated: false, closeCode: 1000 });
    }
  });
});
