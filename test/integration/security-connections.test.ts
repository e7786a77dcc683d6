// Connections that hold a place without using it: a socket that sends nothing, a TLS
// connection that completes its handshake and then sends nothing, and a crowd of them at
// the listener's cap. The quiet ones are closed by Portico; a normal client is served.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAN_CONNECTIONS, LOCAL_CONNECTIONS } from '../../proxy-core/engine/http/connection-guard.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { startService } from '../helpers/service.js';
import { httpsRequest, removeDir, tempDataDir } from '../helpers/tls.js';

const CAP = 8;
let dir: string;
let backend: Backend;
let certs: Certificates;
let engine: Engine;

beforeAll(async () => {
  dir = await tempDataDir();
  backend = await startBackend('shop');
  const config = makeConfig([{ host: 'shop.localhost', target: backend.url }]);
  certs = await openCertificates(dir, config.ca.suffixes);
  const connections = { maxConnections: CAP, firstRequestMs: 1_000 };
  engine = await startEngine({
    config,
    http: { host: '127.0.0.1', port: 0, connections },
    https: { host: '127.0.0.1', port: 0, certificates: certs.store, connections },
  });
  // Mint the leaf certificate now, so a handshake below is quick and only silence is tested.
  await httpsRequest(engine.https!.port, { host: 'shop.localhost', ca: certs.ca.certPem });
});
afterAll(async () => {
  await engine?.close(100);
  await backend?.close();
  await removeDir(dir);
});

/** Resolves once the server closed `socket` (we never end it ourselves before that). */
const closedByServer = (socket: net.Socket) =>
  new Promise<void>((resolve) => {
    socket.on('error', () => {});
    socket.once('close', () => resolve());
  });

function openSilent(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => {});
  });
}

describe('connections that send nothing', () => {
  it('a plain connection that sends no byte is closed', async () => {
    const socket = await openSilent(engine.http.port);
    await closedByServer(socket);
    expect(socket.destroyed).toBe(true);
  });

  it('a TLS connection that completes its handshake and then sends nothing is closed', async () => {
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect(
        { port: engine.https!.port, host: '127.0.0.1', servername: 'shop.localhost', ca: certs.ca.certPem, ALPNProtocols: ['http/1.1'] },
        () => resolve(s),
      );
      s.once('error', reject);
    });
    expect(socket.authorized).toBe(true);
    await closedByServer(socket);
  });

  it('a connection that sent only part of its headers is closed', async () => {
    const socket = await openSilent(engine.http.port);
    socket.write('GET / HTTP/1.1\r\nHost: shop.localhost\r\n');
    await closedByServer(socket);
  });

  it('a keep-alive connection that sent a request is not cut by the first-request limit', async () => {
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await request(engine.http.port, { host: 'shop.localhost', agent });
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // longer than firstRequestMs, shorter than keep-alive
      const second = await request(engine.http.port, { host: 'shop.localhost', agent });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(backend.requests.at(-1)?.remotePort).toBe(backend.requests.at(-2)?.remotePort);
    } finally {
      agent.destroy();
    }
  });
});

describe('the connection cap', () => {
  it.each(['http', 'https'] as const)('%s: with every place held by quiet connections, a normal client is still served', async (scheme) => {
    // Patient limits, so only the cap (not the first-request limit) can make room.
    const config = makeConfig([{ host: 'shop.localhost', target: backend.url }]);
    const connections = { maxConnections: CAP, firstRequestMs: 60_000 };
    const capped = await startEngine({
      config,
      http: { host: '127.0.0.1', port: 0, connections },
      https: { host: '127.0.0.1', port: 0, certificates: certs.store, connections },
    });
    const port = scheme === 'http' ? capped.http.port : capped.https!.port;
    const quiet = await Promise.all(Array.from({ length: CAP }, () => openSilent(port)));
    const oldestClosed = closedByServer(quiet[0]!);
    try {
      const reply =
        scheme === 'http' ? await request(port, { host: 'shop.localhost' }) : await httpsRequest(port, { host: 'shop.localhost', ca: certs.ca.certPem });
      expect(reply.status).toBe(200);
      await oldestClosed; // it made room
      expect(quiet.slice(1).every((socket) => !socket.destroyed)).toBe(true);
    } finally {
      for (const socket of quiet) socket.destroy();
      await capped.close(100);
    }
  });
});

describe('LAN listeners are stricter', () => {
  it('a connection to a LAN port that sends nothing is closed within its 10 s limit, long before a local one would be', async () => {
    const running = await startService({
      lan: { enabled: true, address: '127.0.0.2', port: 0 },
      routes: [{ host: 'shop.localhost', target: backend.url, share: true }],
    });
    try {
      const lanPort = (await running.service.call('lan.status', undefined)).shares[0]!.port;
      const socket = await new Promise<net.Socket>((resolve) => {
        const s = net.connect(lanPort, '127.0.0.2', () => resolve(s));
        s.on('error', () => {});
      });
      // Counted from the connection, not from the service's start (slow on a busy machine):
      // a close within 20 s comes before the local 30 s limit, so only the LAN one did it.
      let giveUp: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        closedByServer(socket).then(() => 'closed by Portico'),
        new Promise((resolve) => (giveUp = setTimeout(resolve, 20_000, 'still open after 20 s'))),
      ]);
      clearTimeout(giveUp);
      expect(closed).toBe('closed by Portico');
      expect(socket.destroyed).toBe(true);
      expect(LAN_CONNECTIONS.firstRequestMs).toBeLessThan(20_000);
      expect(LAN_CONNECTIONS.maxConnections).toBeLessThan(LOCAL_CONNECTIONS.maxConnections);
    } finally {
      await running.close();
    }
  }, 40_000);
});
