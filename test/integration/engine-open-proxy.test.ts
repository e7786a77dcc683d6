// No open proxy, no SSRF: only configured targets are ever contacted, whatever the request line says.
import { describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { rawRequest, type RawReply } from '../helpers/rawRequest.js';
import { request } from '../helpers/request.js';

describe('no open proxy', () => {
  const track = closeAfter('each');

  /** `shop` is a configured target; `bystander` is a local server no route points at. */
  async function setup() {
    const shop = track(await startBackend('shop'));
    const bystander = track(await startBackend('bystander'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: shop.url }]), closeEngine);
    const stillServing = async () => {
      const reply = await request(engine.http.port, { host: 'shop.localhost', path: '/after' });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'shop' });
    };
    return { shop, bystander, engine, stillServing };
  }

  const describeReply = (reply: RawReply) => `${reply.status ?? 'no status'}: ${reply.raw.slice(0, 200)}`;
  const is4xx = (reply: RawReply) => reply.status !== undefined && reply.status >= 400 && reply.status < 500;

  it.each([
    ['a foreign host', () => 'http://example.com/'],
    ['a local port no route points at', (bystanderPort: number) => `http://127.0.0.1:${bystanderPort}/secret`],
    ['localhost on that port', (bystanderPort: number) => `http://localhost:${bystanderPort}/`],
  ])('refuses an absolute-form request for %s even with a configured Host header', async (_name, target) => {
    const { shop, bystander, engine, stillServing } = await setup();

    const reply = await rawRequest(engine.http.port, `GET ${target(bystander.port)} HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n`);
    expect(is4xx(reply), describeReply(reply)).toBe(true);
    expect(shop.requests).toEqual([]);
    expect(bystander.connections).toBe(0);
    await stillServing();
  });

  it('serves an absolute-form request for a configured host through its route, in origin-form', async () => {
    const { shop, bystander, engine } = await setup();

    const reply = await rawRequest(
      engine.http.port,
      `GET http://shop.localhost:${engine.http.port}/cart?x=1 HTTP/1.1\r\nHost: shop.localhost:${engine.http.port}\r\nConnection: close\r\n\r\n`,
    );
    expect(reply.status, describeReply(reply)).toBe(200);
    expect(reply.body).toBe('shop');
    expect(shop.requests.map((r) => r.url)).toEqual(['/cart?x=1']);
    expect(bystander.connections).toBe(0);
  });

  it.each([
    ['a foreign host', () => 'example.com:443'],
    ['the configured target itself', (shopPort: number) => `127.0.0.1:${shopPort}`],
    ['a configured dev host', () => 'shop.localhost:80'],
  ])('refuses CONNECT to %s and opens no tunnel', async (_name, authority) => {
    const { shop, bystander, engine, stillServing } = await setup();
    const target = authority(shop.port);

    const reply = await rawRequest(engine.http.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    // Refused means a 4xx or a closed socket; never a 2xx "Connection Established".
    expect(is4xx(reply) || (reply.status === undefined && reply.closedByServer), describeReply(reply)).toBe(true);
    expect(shop.connections).toBe(0);
    expect(bystander.connections).toBe(0);
    await stillServing();
  });
});
