// Traffic rules over HTTP/2: the same actions as over HTTP/1.1, on streams of one session.
// A reset cuts one stream, not the session; a held stream does not hold the others.
import http2 from 'node:http2';
import { describe, expect, it } from 'vitest';
import type { RuleInput } from '../../proxy-core/contract/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startRulesEngine } from '../helpers/rules.js';
import { connectH2, removeDir, tempDataDir } from '../helpers/tls.js';

const close = closeAfter();
const HOST = 'shop.localhost';

const RULES: RuleInput[] = [
  { id: 'cart-500', match: { host: HOST, pathPrefix: '/api/cart', method: 'GET' }, action: { respond: { status: 500, json: { error: 'boom' } } } },
  { id: 'down', match: { pathPrefix: '/down' }, action: { fail: { status: 503 } } },
  { id: 'reset', match: { pathPrefix: '/reset' }, action: { fail: 'reset' } },
  { id: 'hang', match: { pathPrefix: '/hang' }, action: { fail: 'timeout' } },
  { id: 'slow', match: { pathPrefix: '/slow' }, action: { delay: { ms: 20 } } },
];

async function setup() {
  const dir = close(await tempDataDir(), removeDir);
  const backend = close(await startBackend('shop'), (b) => b.close());
  const proxy = close(await startRulesEngine(dir, [{ host: HOST, target: backend.url }], RULES), (p) => p.close());
  const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
  return { backend, client };
}

/** Opens a stream and resolves with how it ended: a response status, or the reset code. */
function streamOutcome(session: http2.ClientHttp2Session, path: string, giveUpMs?: number): Promise<number | string> {
  return new Promise((resolve) => {
    const stream = session.request({ ':path': path });
    stream.on('response', (h) => resolve(Number(h[':status'])));
    stream.on('error', () => {});
    stream.on('close', () => resolve(`reset ${stream.rstCode}`));
    if (giveUpMs !== undefined) setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), giveUpMs).unref();
    stream.resume();
  });
}

describe('traffic rules over HTTP/2', () => {
  it('respond and fail-with-status answer without contacting the backend', async () => {
    const { backend, client } = await setup();
    const mocked = await client.request({ ':path': '/api/cart' });
    expect([mocked.status, mocked.headers['content-type'], mocked.body]).toEqual([500, 'application/json', '{"error":"boom"}']);
    expect(mocked.headers['content-length']).toBe('16');
    expect((await client.request({ ':path': '/down' })).status).toBe(503);
    expect(backend.requests).toHaveLength(0);
  });

  it('a reset cuts that stream only; the session goes on', async () => {
    const { backend, client } = await setup();
    expect(await streamOutcome(client.session, '/reset')).toBe(`reset ${http2.constants.NGHTTP2_INTERNAL_ERROR}`);
    expect((await client.request({ ':path': '/ok' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  it('a timeout holds its stream until the client cancels; other streams and delayed ones go through', async () => {
    const { backend, client } = await setup();
    const held = streamOutcome(client.session, '/hang', 200);
    expect((await client.request({ ':path': '/slow' })).body).toBe('shop');
    expect(await held).toBe(`reset ${http2.constants.NGHTTP2_CANCEL}`);
    expect((await client.request({ ':path': '/after' })).body).toBe('shop');
    expect(backend.requests.map((r) => r.url)).toEqual(['/slow', '/after']);
  });
});
