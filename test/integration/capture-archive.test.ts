// Finished exchanges move from live records on the heap into the archive (slabs off the JS
// heap). Whatever the inspector, HAR export and replay read must be the same before and
// after: exchanges recorded through a real engine (HTTP/1.1, HTTP/2 over TLS, WebSocket,
// a failed backend, a truncated upload, an imported HAR entry) are read live, archived,
// and read again.
import http2 from 'node:http2';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ArchivedExchange } from '../../proxy-core/capture/archive/archived-exchange.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { ExchangeRecord } from '../../proxy-core/capture/exchange-record.js';
import { toHar } from '../../proxy-core/capture/har.js';
import type { StoredExchange } from '../../proxy-core/capture/stored-exchange.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates } from '../../proxy-core/tls/index.js';
import { freePort, startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';
import { removeDir, tempDataDir } from '../helpers/tls.js';
import { startWsEcho } from '../helpers/wsEcho.js';

const close = closeAfter('all');
const settings = CaptureSettingsSchema.parse({ bodyLimit: 1000 });
let store: CaptureStore;
let engine: Engine;
let caPem: string;

/** Everything a reader can get of one exchange. */
function readAll(x: StoredExchange) {
  const snapshot = x.snapshot();
  const body = (part: 'request' | 'response') => ({ bytes: Buffer.from(x.bodyBytes(part)), info: x.bodyInfo(part), captured: store.body(x, part) });
  return {
    snapshot,
    summary: x.summary(),
    request: body('request'),
    response: body('response'),
    messages: store.messages(x),
    headers: { type: x.header('response', 'content-type'), cookie: x.header('response', 'set-cookie'), agent: x.header('request', 'user-agent') },
    har: toHar([{ exchange: snapshot, request: store.body(x, 'request'), response: store.body(x, 'response'), messages: x.messages }], {
      name: 't',
      version: '1',
    }),
  };
}

beforeAll(async () => {
  const page = gzipSync('<h1>archived</h1>');
  const web = close(
    await startBackend('web', (req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
        res.writeHead(201, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
        res.end(page);
      });
    }),
  );
  const echo = close(await startWsEcho());
  const dir = close(await tempDataDir(), removeDir);
  const config = makeConfig([
    { host: 'web.localhost', target: web.url },
    { host: 'ws.localhost', target: echo.url },
    { host: 'gone.localhost', target: `http://127.0.0.1:${await freePort()}` },
  ]);
  const certs = await openCertificates(dir, config.ca.suffixes);
  caPem = certs.ca.certPem;
  store = new CaptureStore(settings, undefined, { archiveEveryMs: Infinity });
  engine = close(
    await startEngine({ config, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0, certificates: certs.store }, recorder: store }),
    (e) => e.close(100),
  );
});

async function http2Get(path: string): Promise<number> {
  const session = http2.connect(`https://127.0.0.1:${engine.https!.port}`, { ca: caPem, servername: 'web.localhost' });
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ':path': path, ':authority': 'web.localhost', 'user-agent': 'h2-test' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
      stream.resume();
    });
  } finally {
    session.close();
  }
}

async function webSocketExchange(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${engine.http.port}/live`, { headers: { host: 'ws.localhost' } });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send('hello archive');
  await new Promise((resolve) => ws.once('message', resolve));
  ws.close(1000, 'bye');
  await new Promise((resolve) => ws.once('close', resolve));
}

describe('the capture archive', () => {
  it('gives back every exchange exactly as it was recorded: summary, headers, bodies, messages, HAR', async () => {
    await request(engine.http.port, { host: 'web.localhost', path: '/page?q=1', headers: { 'user-agent': 'h1-test' } });
    await request(engine.http.port, { host: 'web.localhost', path: '/upload', method: 'POST', body: 'u'.repeat(5000) });
    await http2Get('/h2/ünïcode?x=%20');
    await request(engine.http.port, { host: 'gone.localhost', path: '/down' });
    await webSocketExchange();
    store.importExchange({
      exchange: { ...store.get('x1')!.snapshot(), url: '/from-har', marks: { note: 'kept' } },
      request: Buffer.from('imported request'),
      response: Buffer.from('imported response'),
    });
    await vi.waitFor(() => expect(store.list().every((x) => x.state === 'done' || x.state === 'failed')).toBe(true));

    const ids = store.list().map((x) => x.id);
    expect(ids).toHaveLength(6);
    const live = ids.map((id) => store.get(id)!);
    expect(live.every((x) => x instanceof ExchangeRecord)).toBe(true);
    const before = live.map(readAll);

    expect(store.archiveFinished()).toBe(6);
    const archived = ids.map((id) => store.get(id)!);
    expect(archived.every((x) => x instanceof ArchivedExchange)).toBe(true);
    expect(archived.map(readAll)).toEqual(before);

    // What each kind of exchange had to carry, so the comparison above compared something.
    const [page, upload, h2, down, ws, fromHar] = before;
    expect(page!.snapshot.responseHeaders.filter(([n]) => n === 'set-cookie')).toHaveLength(2);
    expect(Buffer.from(page!.response.captured.decoded!, 'base64').toString()).toBe('<h1>archived</h1>');
    expect(upload!.request.info).toEqual({ size: 5000, captured: 1000, truncated: true });
    expect(h2!.snapshot).toMatchObject({ httpVersion: '2.0', scheme: 'https', url: '/h2/ünïcode?x=%20' });
    expect(down!.snapshot).toMatchObject({ status: 502, error: { code: 'ECONNREFUSED' } });
    expect(ws!.messages.map((m) => m.preview)).toEqual(expect.arrayContaining(['hello archive']));
    expect(ws!.snapshot.marks['closed']).toMatch(/by the client, code 1000/);
    expect(fromHar!.snapshot.marks).toMatchObject({ note: 'kept', imported: 'HAR' });
    expect(fromHar!.response.bytes.toString()).toBe('imported response');
  });
});
