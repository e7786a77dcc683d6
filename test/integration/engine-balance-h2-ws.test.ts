// Balancing beyond plain HTTP/1.1: the retry over HTTP/2 (Node's compatibility response),
// and WebSockets counted for least-connections while they are open.
import { expect, it, vi } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { startBalancedEngine } from '../helpers/balance.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine } from '../helpers/engine.js';
import { connectH2, removeDir, startHttpsEngine, tempDataDir } from '../helpers/tls.js';
import { closeWs, openWs, roundTrip, startWsEcho } from '../helpers/wsEcho.js';

const HOST = 'pool.localhost';
const closeEach = closeAfter('each');

it('over HTTP/2, a backend dying mid-run costs no failed request', async () => {
  const dir = closeEach(await tempDataDir(), removeDir);
  const a = closeEach(await startBackend('a'));
  const b = closeEach(await startBackend('b'));
  const proxy = closeEach(await startHttpsEngine(dir, [{ host: HOST, targets: [a.url, b.url] }]));
  const client = closeEach(await connectH2(proxy.httpsPort, HOST, proxy.certs.ca.certPem));
  const bodies: string[] = [];
  for (let i = 0; i < 4; i++) bodies.push((await client.request({})).body);
  await a.close();
  for (let i = 0; i < 6; i++) {
    const reply = await client.request({});
    expect(reply.status).toBe(200);
    bodies.push(reply.body);
  }
  expect(bodies).toEqual(['a', 'b', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b']);
  // The HTTP/2 compatibility response closes like an HTTP/1.1 one: every count comes back down.
  await vi.waitFor(() => expect(proxy.engine.health().map((t) => t.activeRequests)).toEqual([0, 0]));
});

it('least-connections counts open WebSockets and sends the next one to the other backend', async () => {
  const one = closeEach(await startWsEcho());
  const two = closeEach(await startWsEcho());
  const running = closeEach(await startBalancedEngine([{ host: HOST, targets: [one.url, two.url], balance: 'least-connections' }]), (r) =>
    closeEngine(r.engine),
  );
  const port = running.engine.http.port;
  const active = () => running.engine.health().map((t) => t.activeRequests);

  const first = await openWs(port, HOST, '/first');
  const second = await openWs(port, HOST, '/second');
  expect([one.upgrades.map((u) => u.url), two.upgrades.map((u) => u.url)]).toEqual([['/first'], ['/second']]);
  expect(active()).toEqual([1, 1]);
  await closeWs(first);
  await vi.waitFor(() => expect(active()).toEqual([0, 1]));
  const third = await openWs(port, HOST, '/third');
  expect(one.upgrades.map((u) => u.url)).toEqual(['/first', '/third']);
  expect((await roundTrip(third, 'hi')).data.toString()).toBe('hi');
  await Promise.all([closeWs(second), closeWs(third)]);
  await vi.waitFor(() => expect(active()).toEqual([0, 0]));
});
