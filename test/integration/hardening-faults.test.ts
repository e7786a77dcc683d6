// Faults on either side of the proxy: the client gets the right answer (or a visibly cut
// one), the other side's connection is closed, and no socket is left open afterwards.
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';
import { eventually, openTcpSockets, startTcpBackend } from '../helpers/tcpBackend.js';

const track = closeAfter('each');

/** An engine in front of `backend`; `settled()` asserts every socket opened since is closed again. */
async function setup(onRequest: Parameters<typeof startTcpBackend>[0]) {
  const backend = track(await startTcpBackend(onRequest));
  const engine = track(await startTestEngine([{ host: 'faulty.localhost', target: backend.url }], { timeouts: { responseMs: 400 } }), closeEngine);
  const baseline = openTcpSockets();
  const settled = async () => {
    expect(
      await eventually(
        () => backend.open,
        (n) => n === 0,
      ),
      'upstream connections still open',
    ).toBe(0);
    expect(await eventually(openTcpSockets, (n) => n === baseline), 'TCP sockets open in the process').toBe(baseline);
  };
  return { backend, engine, settled };
}

const HEAD = 'Host: faulty.localhost\r\nConnection: close\r\n';

describe('backend faults', () => {
  it('resets mid-response: the client sees a cut response', async () => {
    const { engine, settled } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000), () => setTimeout(() => socket.resetAndDestroy(), 50));
    });
    const reply = await rawRequest(engine.http.port, `GET / HTTP/1.1\r\n${HEAD}\r\n`);
    expect(reply.status).toBe(200);
    expect(reply.closedByServer).toBe(true);
    expect(reply.body.length).toBeLessThan(100000);
    await settled();
  });

  it('hangs before the headers: 504 after timeouts.responseMs, upstream request aborted', async () => {
    const { backend, engine, settled } = await setup(() => {});
    const reply = await rawRequest(engine.http.port, `GET / HTTP/1.1\r\n${HEAD}\r\n`);
    expect(reply.status).toBe(504);
    expect(backend.accepted).toBe(1);
    await settled();
  });

  it.each([
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH_9.6\r\n\r\n'],
    ['an invalid header', 'HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok'],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'],
  ])('sends %s: 502', async (_name, garbage) => {
    const { engine, settled } = await setup((socket) => socket.write(garbage));
    const reply = await rawRequest(engine.http.port, `GET / HTTP/1.1\r\n${HEAD}\r\n`);
    expect(reply.status).toBe(502);
    await settled();
  });

  it('drops a WebSocket: the client WebSocket closes abnormally', async () => {
    const { engine, settled } = await setup((socket, first) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(first.toString('latin1'))?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      setTimeout(() => socket.resetAndDestroy(), 100);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${engine.http.port}/socket`, { headers: { host: 'faulty.localhost' } });
    ws.on('error', () => {});
    const events: string[] = [];
    ws.on('open', () => events.push('open'));
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(events).toEqual(['open']);
    expect(code).toBe(1006);
    await settled();
  });
});

describe('client faults', () => {
  it('aborts mid-upload: the upstream request is cut, the backend sees its connection close', async () => {
    const { backend, engine, settled } = await setup(() => {});
    const client = net.connect(engine.http.port, '127.0.0.1');
    client.on('error', () => {});
    client.write(`POST /upload HTTP/1.1\r\n${HEAD}Content-Length: 10000000\r\n\r\n`);
    client.write(Buffer.alloc(64 * 1024, 1));
    const got = await eventually(
      () => backend.received.length,
      (n) => n > 32 * 1024,
    );
    expect(got).toBeGreaterThan(32 * 1024);
    client.destroy();
    await settled();
  });

  it('aborts mid-download: the upstream response is abandoned, the backend sees its connection close', async () => {
    const { backend, engine, settled } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const drip = setInterval(() => socket.write('400\r\n' + 'y'.repeat(0x400) + '\r\n'), 10);
      socket.once('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: engine.http.port, headers: { host: 'faulty.localhost' }, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    });
    expect(backend.accepted).toBe(1);
    await settled();
  });
});

describe('after faults', () => {
  it('a pooled upstream connection that the backend closed is not reused for the next request', async () => {
    let served = 0;
    const answer = (socket: net.Socket) => {
      served += 1;
      // Keep-alive by the book, then the backend closes the idle connection anyway.
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=60\r\n\r\nok', () => setTimeout(() => socket.destroy(), 20));
    };
    const { engine, settled } = await setup(answer);
    const first = await request(engine.http.port, { host: 'faulty.localhost' });
    await eventually(
      () => served,
      (n) => n === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await request(engine.http.port, { host: 'faulty.localhost' });
    expect([first.status, second.status]).toEqual([200, 200]);
    await settled();
  });
});
