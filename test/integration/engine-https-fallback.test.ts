// startEngine is the one way every front door (portico serve, the desktop app, the tests)
// starts the engine. When HTTPS is optional and its port cannot be had, the engine serves
// HTTP alone and says why; when it is not, the start fails, names the HTTPS listener and
// leaves no listener behind.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../proxy-core/engine/index.js';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { startBackend, type Backend } from '../helpers/backend.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { removeDir, tempDataDir } from '../helpers/tls.js';

let dataDir: string;
let certs: Certificates;
let backend: Backend;
let blocker: net.Server;
let taken: number;

beforeAll(async () => {
  dataDir = await tempDataDir();
  certs = await openCertificates(dataDir, ['localhost']);
  backend = await startBackend('app');
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  taken = (blocker.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await backend.close();
  await new Promise((resolve) => blocker.close(resolve));
  await removeDir(dataDir);
});

describe('startEngine with an HTTPS port that is taken', () => {
  it('serves HTTP alone when HTTPS is optional, and says why', async () => {
    const engine = await startEngine({
      config: makeConfig([{ host: 'app.localhost', target: backend.url }]),
      http: { host: '127.0.0.1', port: 0 },
      https: { host: '127.0.0.1', port: taken, certificates: certs.store, optional: true },
    });
    try {
      expect(engine.https).toBeUndefined();
      expect(engine.httpsProblem).toBe(`port ${taken} on 127.0.0.1 is already in use`);
      const reply = await request(engine.http.port, { host: 'app.localhost' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('app');
    } finally {
      await engine.close(100);
    }
  });

  it('fails naming the HTTPS listener when HTTPS is not optional, and frees the HTTP port', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const httpPort = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const started = startEngine({
      config: makeConfig([]),
      http: { host: '127.0.0.1', port: httpPort },
      https: { host: '127.0.0.1', port: taken, certificates: certs.store },
    });
    await expect(started).rejects.toMatchObject({ code: 'EADDRINUSE', listener: 'https' });
    // The HTTP listener it had opened is closed again: the port can be bound once more.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(httpPort, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
  });
});
