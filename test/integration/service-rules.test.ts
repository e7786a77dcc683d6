// rules.* and breakpoints.* through the control service: edits saved to the config file
// and in force at once, the order they set, refusals of rules that are not rules, and the
// pause/resume events a UI follows.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { BreakpointResumed, Paused } from '../../proxy-core/contract/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { request } from '../helpers/request.js';
import { Queue } from '../helpers/rules.js';
import { startService } from '../helpers/service.js';

const close = closeAfter();
const HOST = 'shop.localhost';

async function setup() {
  const backend = close(await startBackend('shop'), (b) => b.close());
  const svc = close(await startService({ http: { port: 0 }, routes: [{ host: HOST, target: backend.url }] }));
  return { backend, svc, service: svc.service };
}

describe('rules commands', () => {
  it('create, update, move and delete rules: saved in the file, in force at once', async () => {
    const { backend, svc, service } = await setup();
    const mock = await service.call('rules.create', {
      rule: { id: 'cart-500', match: { pathPrefix: '/api/cart' }, action: { respond: { status: 500, body: 'boom' } } },
    });
    expect(mock.enabled).toBe(true);
    const generated = await service.call('rules.create', { rule: { match: { pathPrefix: '/api' }, action: { fail: { status: 502 } } } });
    expect(generated.id).toMatch(/^rule-/);
    expect((await request(svc.port, { host: HOST, path: '/api/cart' })).status).toBe(500);
    const order = await service.call('rules.move', { id: generated.id, index: 0 });
    expect(order.map((r) => r.id)).toEqual([generated.id, 'cart-500']);
    expect((await request(svc.port, { host: HOST, path: '/api/cart' })).status).toBe(502);
    await service.call('rules.update', { id: generated.id, rule: { ...generated, enabled: false } });
    expect((await request(svc.port, { host: HOST, path: '/api/cart' })).status).toBe(500);
    const file = JSON.parse(await readFile(svc.configFile, 'utf8')) as { rules: { id: string; enabled: boolean }[] };
    expect(file.rules.map((r) => [r.id, r.enabled])).toEqual([
      [generated.id, false],
      ['cart-500', true],
    ]);
    await service.call('rules.delete', { id: 'cart-500' });
    expect((await request(svc.port, { host: HOST, path: '/api/cart' })).body).toBe('shop');
    expect(backend.requests).toHaveLength(1);
  });

  it('refuses what is not a rule: an action that would forward elsewhere, a bad regex, a relative file, a twin id', async () => {
    const { service } = await setup();
    await expect(service.call('rules.create', { rule: { match: {}, action: { forward: 'http://elsewhere.example' } } })).rejects.toThrow(/invalid input/);
    await expect(service.call('rules.create', { rule: { match: { pathRegex: '(' }, action: { delay: { ms: 1 } } } })).rejects.toThrow(/invalid input/);
    await expect(service.call('rules.create', { rule: { match: {}, action: { respond: { file: 'relative.json' } } } })).rejects.toThrow(/invalid input/);
    await service.call('rules.create', { rule: { id: 'a', action: { delay: { ms: 1 } } } });
    await expect(service.call('rules.create', { rule: { id: 'a', action: { delay: { ms: 1 } } } })).rejects.toThrow(/exists already/);
    await expect(service.call('breakpoints.resume', { id: 'b1', edits: { headers: [['bad name', 'x']] } })).rejects.toThrow(/invalid input/);
    await expect(service.call('breakpoints.resume', { id: 'b1', edits: { url: '//elsewhere.example/' } })).rejects.toThrow(/invalid input/);
    expect(await service.call('breakpoints.abort', { id: 'nope' })).toEqual({ aborted: false });
  });

  it('a paused request is announced, listed with its exchange id, resumed with an added header, and the resume announced', async () => {
    const { backend, svc, service } = await setup();
    const paused = new Queue<Paused>();
    const resumed = new Queue<BreakpointResumed>();
    close(
      service.on('breakpoint.paused', (p) => paused.push(p)),
      (off) => off(),
    );
    close(
      service.on('breakpoint.resumed', (r) => resumed.push(r)),
      (off) => off(),
    );
    await service.call('rules.create', { rule: { id: 'pause', match: { pathPrefix: '/api' }, action: { breakpoint: 'request' } } });
    const reply = request(svc.port, { host: HOST, path: '/api/cart' });
    const event = await paused.next();
    expect(event.exchangeId).toMatch(/^x/);
    expect((await service.call('breakpoints.list', undefined)).map((p) => p.id)).toEqual([event.id]);
    await service.call('breakpoints.resume', { id: event.id, edits: { headers: [...event.headers, ['x-debug', '1']] } });
    expect((await reply).status).toBe(200);
    expect(backend.requests[0]?.headers['x-debug']).toBe('1');
    expect(await resumed.next()).toEqual({ id: event.id, exchangeId: event.exchangeId, outcome: 'edited' });
    service.parts.batcher.flush();
    const exchange = await service.call('traffic.get', { id: event.exchangeId! });
    expect(exchange.marks['breakpoint request']).toMatch(/^paused \d+ s at request breakpoint \(rule 'pause'\), edited: header x-debug$/);
  });
});
