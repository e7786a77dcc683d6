// setConfig: the next request sees the new routing table; requests already in flight are untouched.
import { describe, expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, makeConfig, startTestEngine } from '../helpers/engine.js';
import { CountingAgent, request } from '../helpers/request.js';

describe('setConfig applies live', () => {
  const track = closeAfter('each');

  it('adds, edits, disables and removes routes for the very next request', async () => {
    const a = track(await startBackend('a'));
    const b = track(await startBackend('b'));
    const engine = track(await startTestEngine([{ host: 'shop.localhost', target: a.url }]), closeEngine);
    const answer = async (host: string) => {
      const reply = await request(engine.http.port, { host });
      return reply.status === 200 ? reply.body : reply.status;
    };
    expect(await answer('shop.localhost')).toBe('a');
    expect(await answer('new.localhost')).toBe(404);

    const added = makeConfig([
      { host: 'shop.localhost', target: a.url },
      { host: 'new.localhost', target: b.url },
    ]);
    engine.setConfig(added);
    expect(engine.config).toEqual(added);
    expect(await answer('new.localhost')).toBe('b');
    expect(await answer('shop.localhost')).toBe('a');

    engine.setConfig(
      makeConfig([
        { host: 'shop.localhost', target: b.url },
        { host: 'new.localhost', target: b.url },
      ]),
    );
    expect(await answer('shop.localhost')).toBe('b');

    engine.setConfig(
      makeConfig([
        { host: 'shop.localhost', target: b.url, enabled: false },
        { host: 'new.localhost', target: b.url },
      ]),
    );
    expect(await answer('shop.localhost')).toBe(404);

    engine.setConfig(makeConfig([{ host: 'shop.localhost', target: a.url }]));
    expect(await answer('new.localhost')).toBe(404);
    expect(await answer('shop.localhost')).toBe('a');
  });

  it('routes each request on one kept-alive client connection by the table in force at that moment', async () => {
    const a = track(await startBackend('a'));
    const engine = track(await startTestEngine([]), closeEngine);
    const agent = track(new CountingAgent(), (x) => x.destroy());
    const send = async () => {
      const reply = await request(engine.http.port, { host: 'shop.localhost', agent });
      return reply.status === 200 ? reply.body : reply.status;
    };
    const answers = [await send()];
    engine.setConfig(makeConfig([{ host: 'shop.localhost', target: a.url }]));
    answers.push(await send());
    engine.setConfig(makeConfig([]));
    answers.push(await send());
    expect(answers).toEqual([404, 'a', 404]);
    expect(agent.created).toBe(1);
  });

  it('lets a request in flight finish after its route is removed', async () => {
    let release: (() => void) | undefined;
    const arrived = Promise.withResolvers<void>();
    const slow = track(
      await startBackend('slow', (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('slow ');
        release = () => res.end('done');
        arrived.resolve();
      }),
    );
    const engine = track(await startTestEngine([{ host: 'slow.localhost', target: slow.url }]), closeEngine);

    const pending = request(engine.http.port, { host: 'slow.localhost' });
    await arrived.promise;
    engine.setConfig(makeConfig([]));
    release?.();
    const reply = await pending;
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'slow done' });
    expect((await request(engine.http.port, { host: 'slow.localhost' })).status).toBe(404);
  });
});
