// The capture keeps a request's body however the client framed it: a Content-Length, a
// chunked HTTP/1.1 upload that announces no length, an HTTP/2 stream with no length, and
// no body at all on a plain GET (the engine listens for request bytes only on requests that
// can carry them).
import http from 'node:http';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates } from '../../proxy-core/tls/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { removeDir, tempDataDir } from '../helpers/tls.js';

const close = closeAfter('all');
let store: CaptureStore;
let engine: Engine;
let caPem: string;

beforeAll(async () => {
  // Answers with the body it got, so each test also sees that the backend received it whole.
  const echo = close(
    await startBackend('echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(Buffer.concat(chunks)));
    }),
  );
  const dir = close(await tempDataDir(), removeDir);
  const config = makeConfig([{ host: 'echo.localhost', target: echo.url }]);
  const certs = await openCertificates(dir, config.ca.suffixes);
  caPem = certs.ca.certPem;
  store = new CaptureStore(CaptureSettingsSchema.parse({}), undefined, { archiveEveryMs: Infinity });
  engine = close(
    await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0, certificates: certs.store }, recorder: store }),
    (e) => e.close(100),
  );
});
afterAll(() => store.clear());

/** The request body the newest exchange recorded, once it finished, live and archived alike. */
async function recordedRequestBody(): Promise<{ live: string; archived: string; size: number }> {
  await vi.waitFor(() => expect(store.list().at(-1)?.state).toBe('done'));
  const id = store.list().at(-1)!.id;
  const live = store.get(id)!.bodyBytes('request').toString();
  const size = store.get(id)!.bodyInfo('request').size;
  store.archiveFinished();
  return { live, archived: store.get(id)!.bodyBytes('request').toString(), size };
}

describe('request bodies in the capture', () => {
  it('keeps a body sent with a Content-Length', async () => {
    const reply = await request(engine.http.port, { host: 'echo.localhost', method: 'POST', body: 'with a length' });
    expect(reply.body).toBe('with a length');
    expect(await recordedRequestBody()).toEqual({ live: 'with a length', archived: 'with a length', size: 13 });
  });

  it('keeps a chunked HTTP/1.1 body that announces no length', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: engine.http.port, method: 'PUT', path: '/chunks', headers: { host: 'echo.localhost' }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', reject);
      req.write('first ');
      setImmediate(() => req.end('second'));
    });
    expect(body).toBe('first second');
    expect(await recordedRequestBody()).toEqual({ live: 'first second', archived: 'first second', size: 12 });
  });

  it('keeps an HTTP/2 body sent with no length', async () => {
    const session = http2.connect(`https://127.0.0.1:${engine.https!.port}`, { ca: caPem, servername: 'echo.localhost' });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/h2', ':authority': 'echo.localhost' });
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve(Buffer.concat(chunks).toString()));
        stream.on('error', reject);
        stream.end('over h2');
      });
      expect(body).toBe('over h2');
    } finally {
      session.close();
    }
    expect(await recordedRequestBody()).toEqual({ live: 'over h2', archived: 'over h2', size: 7 });
  });

  it('records an empty body for a GET', async () => {
    const reply = await request(engine.http.port, { host: 'echo.localhost', path: '/nothing' });
    expect(reply.status).toBe(200);
    expect(await recordedRequestBody()).toEqual({ live: '', archived: '', size: 0 });
  });
});
