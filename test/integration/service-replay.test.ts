// Replay through the control service: the replayed request goes the way the original came
// (HTTP/2 stays HTTP/2), adds no body framing the original lacked, and its exchange is
// marked as a replay of the original.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeSummary } from '../../proxy-core/contract/index.js';
import { startRecordingBackend, type RecordingBackend } from '../helpers/recordingBackend.js';
import { startService, type TestService } from '../helpers/service.js';
import { connectH2 } from '../helpers/tls.js';

describe('traffic.replay', () => {
  let backend: RecordingBackend;
  let running: TestService;

  beforeAll(async () => {
    backend = await startRecordingBackend();
    running = await startService({ routes: [{ host: 'shop.localhost', target: backend.url }] });
  });
  afterAll(async () => {
    await running?.close();
    await backend?.close();
  });

  const list = () => running.service.call('traffic.list', undefined);

  async function h2Get(path: string): Promise<ExchangeSummary> {
    const { service } = running;
    const client = await connectH2(service.parts.engine.https!.port, 'shop.localhost', service.parts.certificates.ca.certPem);
    try {
      expect((await client.request({ ':path': path, ':authority': 'shop.localhost' })).status).toBe(200);
    } finally {
      await client.close();
    }
    await expect.poll(async () => (await list()).find((x) => x.url === path)?.state).toBe('done');
    return (await list()).find((x) => x.url === path)!;
  }

  it('an HTTP/2 GET replays over HTTP/2, without content-length, marked as a replay of the original', async () => {
    const original = await h2Get('/h2-original');
    expect(original.httpVersion).toBe('2.0');
    backend.reset();
    const { status, exchangeId } = await running.service.call('traffic.replay', { id: original.id });
    expect(status).toBe(200);
    expect(exchangeId).toBeDefined();
    const replayed = (await list()).find((x) => x.id === exchangeId)!;
    expect(replayed.httpVersion).toBe('2.0');
    expect(replayed.marks['replay']).toBe(`of ${original.id}`);
    const replayedWhole = await running.service.call('traffic.get', { id: replayed.id });
    expect(replayedWhole.requestHeaders.map(([name]) => name.toLowerCase())).not.toContain('content-length');
    expect(backend.received.toLowerCase()).not.toContain('content-length');
    expect(original.marks['replay']).toBeUndefined();
  });

  it('a POST keeps its body and its length when replayed', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: running.port, method: 'POST', path: '/form', headers: { host: 'shop.localhost', 'content-type': 'text/plain' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end('a=1');
    });
    await expect.poll(async () => (await list()).find((x) => x.url === '/form' && x.method === 'POST')?.state).toBe('done');
    const original = (await list()).find((x) => x.url === '/form')!;
    expect(original.httpVersion).toBe('1.1');
    backend.reset();
    await running.service.call('traffic.replay', { id: original.id });
    expect(backend.parsed.at(-1)).toEqual({ method: 'POST', url: '/form', bodyBytes: 3 });
    expect(backend.received.toLowerCase()).toContain('content-length: 3');
  });
});
