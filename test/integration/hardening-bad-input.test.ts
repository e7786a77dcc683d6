// The bad-input corpus (test/fixtures/bad-input.ts) against a real engine in front of a
// strict backend that records every byte: each case gets its status or a close, nothing
// reaches the backend in a form it could read differently from us, and another client is
// still served afterwards.
import net from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { BAD_INPUT } from '../fixtures/bad-input.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';
import { rawRequest } from '../helpers/rawRequest.js';
import { startRecordingBackend } from '../helpers/recordingBackend.js';
import { request } from '../helpers/request.js';

const track = closeAfter('all');
const setup = (async () => {
  const backend = track(await startRecordingBackend());
  const engine = track(await startTestEngine([{ host: 'shop.localhost', target: backend.url }]), closeEngine);
  return { backend, engine };
})();

describe('bad input corpus', () => {
  it.each(BAD_INPUT.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { backend, engine } = await setup;
    backend.reset();

    const reply = await rawRequest(engine.http.port, c.send, 5_000);
    if (c.expect === 'close') expect({ status: reply.status, closed: reply.closedByServer }).toEqual({ status: undefined, closed: true });
    else expect(reply.status, reply.raw.slice(0, 300)).toBe(c.expect);

    if (c.backend !== 'nothing' && c.backend !== 'incomplete') {
      await vi.waitFor(() => expect(backend.parsed).toHaveLength(1));
      expect(backend.received).toBe(c.backend.replace('<port>', String(engine.http.port)));
      expect(backend.parseErrors).toBe(0);
      backend.reset();
    }
    // A request that should not have gone upstream would have reached the backend before
    // Portico answered it, so before this next one: it must be all the backend sees.
    const after = await request(engine.http.port, { host: 'shop.localhost', path: '/after' });
    expect(after.status).toBe(200);
    expect(backend.parsed).toEqual([{ method: 'GET', url: '/after', bodyBytes: 0 }]);
    if (c.backend === 'nothing') expect(backend.received).toMatch(/^GET \/after /);
  });
});

describe('slowloris', () => {
  it('clients trickling their headers do not hold up anyone else', async () => {
    const { backend, engine } = await setup;
    const slow: net.Socket[] = [];
    for (let i = 0; i < 100; i++) {
      const socket = net.connect(engine.http.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(`GET /slow-${i} HTTP/1.1\r\nHost: shop.localhost\r\n`);
      slow.push(socket);
    }
    const drip = setInterval(() => {
      for (const socket of slow) socket.write('X-Drip: 1\r\n');
    }, 100);
    try {
      backend.reset();
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => request(engine.http.port, { host: 'shop.localhost', path: `/fast-${i}` })));
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(backend.parsed.every((p) => p.url.startsWith('/fast-'))).toBe(true);
    } finally {
      clearInterval(drip);
      for (const socket of slow) socket.destroy();
    }
  });
});
