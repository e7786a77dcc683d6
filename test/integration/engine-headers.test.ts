// What the backend sees (X-Forwarded-*, Forwarded, Host) and what the client gets back
// (Location and Set-Cookie rewritten to the dev host), plus upstream keep-alive.
import { describe, expect, it } from 'vitest';
import { startEngine } from '../../proxy-core/engine/index.js';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';
import { parseForwarded } from '../helpers/forwarded.js';
import { CountingAgent, request } from '../helpers/request.js';

/** Answers with the status, Location and Set-Cookie values the test asks for in request headers. */
const answerAsAsked: BackendHandler = (req, res) => {
  req.resume();
  const status = Number(req.headers['x-status'] ?? 200);
  const headers: Record<string, string | string[]> = { 'content-type': 'text/plain' };
  if (typeof req.headers['x-location'] === 'string') headers.location = req.headers['x-location'];
  if (typeof req.headers['x-set-cookie'] === 'string') {
    headers['set-cookie'] = JSON.parse(req.headers['x-set-cookie']) as string[];
  }
  res.writeHead(status, headers);
  res.end('ok');
};

describe('headers reaching the backend', () => {
  const track = closeAfter('each');

  it('adds X-Forwarded-For/-Proto/-Host/-Port and an RFC 7239 Forwarded, and keeps the dev Host', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);
    const devHost = `shop.localhost:${engine.http.port}`;

    const reply = await request(engine.http.port, { host: devHost, path: '/x' });
    expect(reply.status).toBe(200);
    const seen = backend.requests[0]!.headers;
    expect({
      host: seen.host,
      'x-forwarded-for': seen['x-forwarded-for'],
      'x-forwarded-proto': seen['x-forwarded-proto'],
      'x-forwarded-host': seen['x-forwarded-host'],
      'x-forwarded-port': seen['x-forwarded-port'],
    }).toEqual({
      host: devHost,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': devHost,
      'x-forwarded-port': String(engine.http.port),
    });
    expect(typeof seen.forwarded).toBe('string');
    const forwarded = parseForwarded(seen.forwarded!);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ for: '127.0.0.1', host: devHost, proto: 'http' });
  });

  it('replaces a client-supplied X-Forwarded-For, X-Real-IP and Forwarded with the address Portico saw', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);

    await request(engine.http.port, {
      host: 'shop.localhost',
      headers: { 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.6', forwarded: 'for=6.6.6.6;proto=https' },
    });
    const seen = backend.requests[0]!.headers;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-real-ip']).toBe('127.0.0.1');
    expect(parseForwarded(seen.forwarded!)).toEqual([expect.objectContaining({ for: '127.0.0.1', proto: 'http' })]);
    expect(JSON.stringify(seen)).not.toContain('6.6.6.6');
  });

  it('keeps and appends to the client chain on a route that trusts a proxy in front of it (trustForwarded)', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url, trustForwarded: true }]), closeEngine);

    await request(engine.http.port, {
      host: 'shop.localhost',
      headers: { 'x-forwarded-for': '10.0.0.7', 'x-real-ip': '10.0.0.7', forwarded: 'for=10.0.0.7' },
    });
    const seen = backend.requests[0]!.headers;
    expect(seen['x-forwarded-for']).toBe('10.0.0.7, 127.0.0.1');
    expect(seen['x-real-ip']).toBe('10.0.0.7');
    expect(parseForwarded(seen.forwarded!).map((element) => element.for)).toEqual(['10.0.0.7', '127.0.0.1']);
  });

  it('forwards the Host exactly as sent when it has no port', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);

    await request(engine.http.port, { host: 'shop.localhost' });
    const seen = backend.requests[0]!.headers;
    expect(seen.host).toBe('shop.localhost');
    expect(seen['x-forwarded-host']).toBe('shop.localhost');
    expect(parseForwarded(seen.forwarded ?? '')[0]).toMatchObject({ host: 'shop.localhost' });
  });

  it('writes an IPv6 client as a quoted, bracketed Forwarded for= (and bare in X-Forwarded-For)', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(
      await startEngine({
        config: makeConfig([{ host: 'shop.localhost', target: backend.url }]),
        http: { host: '::1', port: 0 },
      }),
      closeEngine,
    );

    const reply = await request(engine.http.port, { address: '::1', host: 'shop.localhost' });
    expect(reply.status).toBe(200);
    const seen = backend.requests[0]!.headers;
    expect(seen['x-forwarded-for']).toBe('::1');
    expect(seen.forwarded).toMatch(/(^|;|,\s*)for="\[::1\]"(;|,|$)/i);
    expect(parseForwarded(seen.forwarded!)[0]).toMatchObject({ for: '[::1]', proto: 'http' });
  });

  it('sends the target host:port as Host with changeOrigin, still telling the dev host in X-Forwarded-Host', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(
      await startTestEngine([
        { host: 'shop.localhost', target: backend.url, changeOrigin: true },
        { host: 'plain.localhost', target: backend.url },
      ]),
      closeEngine,
    );
    const devHost = `shop.localhost:${engine.http.port}`;

    await request(engine.http.port, { host: devHost });
    await request(engine.http.port, { host: 'plain.localhost' });
    const [changed, plain] = backend.requests;
    expect(changed!.headers.host).toBe(backend.hostPort);
    expect(changed!.headers['x-forwarded-host']).toBe(devHost);
    expect(plain!.headers.host).toBe('plain.localhost');
  });
});

describe('Location rewriting', () => {
  const track = closeAfter('each');

  async function setup() {
    const backend = track(await startBackend('app', answerAsAsked));
    const other = track(await startBackend('other'));
    const engine = track(
      await startTestEngine([
        { host: 'shop.localhost', target: backend.url },
        { host: '*.shop.localhost', target: backend.url },
      ]),
      closeEngine,
    );
    const location = async (host: string, status: number, value: string) => {
      const reply = await request(engine.http.port, {
        host,
        headers: { 'x-status': String(status), 'x-location': value },
      });
      expect(reply.status).toBe(status);
      return reply.headers.location;
    };
    return { backend, other, engine, location };
  }

  it.each([301, 302, 303, 307, 308, 201])('rewrites a %i Location on localhost:<target port> and 127.0.0.1:<target port> to the dev host', async (status) => {
    const { backend, engine, location } = await setup();
    const devHost = `shop.localhost:${engine.http.port}`;
    expect(await location(devHost, status, `http://localhost:${backend.port}/login?next=%2Fcart#top`)).toBe(`http://${devHost}/login?next=%2Fcart#top`);
    expect(await location(devHost, status, `http://127.0.0.1:${backend.port}/login`)).toBe(`http://${devHost}/login`);
  });

  it('rewrites to the host the client used on a wildcard route', async () => {
    const { backend, engine, location } = await setup();
    const devHost = `a.b.shop.localhost:${engine.http.port}`;
    expect(await location(devHost, 302, `http://localhost:${backend.port}/after`)).toBe(`http://${devHost}/after`);
  });

  it('leaves relative, foreign and other-port Locations alone', async () => {
    const { other, engine, location } = await setup();
    const devHost = `shop.localhost:${engine.http.port}`;
    expect(await location(devHost, 302, '/login')).toBe('/login');
    expect(await location(devHost, 302, 'login?x=1')).toBe('login?x=1');
    expect(await location(devHost, 302, 'https://github.com/login/oauth')).toBe('https://github.com/login/oauth');
    // Another local server (say an auth service) is a different origin, not this route's target.
    expect(await location(devHost, 302, `http://localhost:${other.port}/auth`)).toBe(`http://localhost:${other.port}/auth`);
  });
});

describe('Set-Cookie domain rewriting', () => {
  const track = closeAfter('each');

  async function cookies(host: string, setCookies: string[]) {
    const backend = track(await startBackend('app', answerAsAsked));
    const engine = track(
      await startTestEngine([
        { host: 'shop.localhost', target: backend.url },
        { host: '*.shop.localhost', target: backend.url },
      ]),
      closeEngine,
    );
    const reply = await request(engine.http.port, {
      host: `${host}:${engine.http.port}`,
      headers: { 'x-set-cookie': JSON.stringify(setCookies) },
    });
    expect(reply.status).toBe(200);
    return reply.headers['set-cookie'];
  }

  it('rewrites Domain=localhost and Domain=127.0.0.1 to the dev hostname, touching nothing else', async () => {
    expect(
      await cookies('shop.localhost', [
        'a=1; Domain=localhost; Path=/',
        'b=2; Path=/; domain=127.0.0.1; HttpOnly; SameSite=Lax',
        'c=3; Path=/',
        'd=4; Domain=example.com; Secure',
      ]),
    ).toEqual([
      'a=1; Domain=shop.localhost; Path=/',
      expect.stringMatching(/^b=2; Path=\/; domain=shop\.localhost; HttpOnly; SameSite=Lax$/i),
      'c=3; Path=/',
      'd=4; Domain=example.com; Secure',
    ]);
  });

  it('uses the host the client used on a wildcard route (without the port)', async () => {
    expect(await cookies('a.shop.localhost', ['sid=xyz; Domain=localhost; Path=/'])).toEqual(['sid=xyz; Domain=a.shop.localhost; Path=/']);
  });
});

describe('upstream keep-alive', () => {
  const track = closeAfter('each');

  it('reuses backend connections for 50 sequential requests on one client connection', async () => {
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);
    const agent = track(new CountingAgent(), (a) => a.destroy());

    for (let i = 0; i < 50; i++) {
      const reply = await request(engine.http.port, { host: 'shop.localhost', path: `/${i}`, agent });
      expect(reply.body).toBe('app');
    }
    expect(agent.created).toBe(1);
    expect(backend.requests).toHaveLength(50);
    expect(backend.connections).toBeLessThanOrEqual(2);
  });

  it('reuses backend connections even when every client request comes on a new connection', async () => {
    // Each client request says `Connection: close`; that header is hop-by-hop (RFC 9110 §7.6.1)
    // and must not make the proxy close its upstream socket too.
    const backend = track(await startBackend('app'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);

    for (let i = 0; i < 50; i++) {
      const reply = await request(engine.http.port, { host: 'shop.localhost', path: `/${i}` });
      expect(reply.body).toBe('app');
    }
    expect(backend.requests).toHaveLength(50);
    expect(backend.connections).toBeLessThanOrEqual(2);
    expect(backend.requests.map((r) => r.headers.connection).filter((c) => c === 'close')).toEqual([]);
  });
});
