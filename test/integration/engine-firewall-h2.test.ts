// The firewall and auth over HTTP/2 streams: Basic auth and the body limit (declared and
// counted) answer on the stream, with no HTTP/1-only headers, and the session goes on.
import type http2 from 'node:http2';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../proxy-core/auth/password-hash.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';

const HOST = 'gate.localhost';

/** One request on the session; `body` parts are written 30 ms apart. */
function send(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body: string[] = []) {
  return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const stream = session.request({ ':path': '/', ...headers }, { endStream: body.length === 0 });
    let head: http2.IncomingHttpHeaders = {};
    let text = '';
    stream.on('response', (h) => (head = h));
    stream.setEncoding('utf8').on('data', (c: string) => (text += c));
    stream.on('end', () => resolve({ status: Number(head[':status']), headers: head, body: text }));
    stream.on('error', reject);
    body.forEach((part, i) =>
      setTimeout(
        () => {
          if (stream.writable) stream.write(part);
          if (i === body.length - 1 && stream.writable) stream.end();
        },
        30 * (i + 1),
      ),
    );
  });
}

describe('gates over HTTP/2', () => {
  it('answers 401 / 200 for Basic auth and 413 for declared and streamed bodies over the limit', async () => {
    const close = closeAfter();
    const dir = close(await tempDataDir(), removeDir);
    let received = 0;
    const backend = close(
      await startBackend('h2', (req, res) => {
        req.on('data', (c: Buffer) => (received += c.length));
        req.on('end', () => res.end('ok'));
      }),
      (b) => b.close(),
    );
    const users = { ada: await hashPassword('pw') };
    const routes = [{ host: HOST, target: backend.url, auth: { basic: { users } }, firewall: { maxBodyBytes: 100 } }];
    const proxy = close(await startHttpsEngine(dir, routes), (p) => p.close());
    const client = close(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem), (c) => c.close());
    const authorization = `Basic ${Buffer.from('ada:pw').toString('base64')}`;

    const denied = await send(client.session, {});
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe(`Basic realm="${HOST}", charset="UTF-8"`);
    expect((await send(client.session, { authorization })).body).toBe('ok');

    const declared = await send(client.session, { authorization, ':method': 'POST', 'content-length': '1000' }, ['x'.repeat(1000)]);
    expect(declared.status).toBe(413);
    expect(declared.headers['connection']).toBeUndefined();

    const streamed = await send(client.session, { authorization, ':method': 'POST' }, ['a'.repeat(80), 'b'.repeat(80), 'c'.repeat(80)]);
    expect(streamed.status).toBe(413);
    // The backend got at most the first part: the one that crossed the limit was never sent on.
    expect(received).toBeLessThanOrEqual(80);

    // The same session keeps working.
    expect((await send(client.session, { authorization, ':method': 'POST' }, ['small'])).body).toBe('ok');
  });
});
