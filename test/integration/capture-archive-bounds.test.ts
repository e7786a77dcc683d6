// The archive under the store's bounds: exchanges leave oldest first by count and by bytes
// whether live or archived, their slabs are given back, and a reader (the inspector) can
// list, open and read bodies while traffic keeps writing and evicting.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { ArchivedExchange } from '../../proxy-core/capture/archive/archived-exchange.js';
import { SLAB_BYTES } from '../../proxy-core/capture/archive/slabs.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const close = closeAfter('each');

async function engineWith(store: CaptureStore, body: Buffer) {
  const app = close(await startBackend('app', (req, res) => req.resume().on('end', () => res.end(body))));
  const engine = close(
    await startEngine({ config: makeConfig([{ host: 'app.localhost', target: app.url }]), http: { host: '127.0.0.1', port: 0 }, recorder: store }),
    (e) => e.close(100),
  );
  return engine.http.port;
}

describe('the capture archive within the bounds', () => {
  it('archives finished exchanges on its own, shortly after they end', async () => {
    const store = new CaptureStore(CaptureSettingsSchema.parse({}));
    const port = await engineWith(store, Buffer.from('ok'));
    await request(port, { host: 'app.localhost', path: '/soon' });
    await vi.waitFor(() => expect(store.get('x1')).toBeInstanceOf(ArchivedExchange), { timeout: 2000 });
    expect(store.get('x1')!.snapshot()).toMatchObject({ url: '/soon', state: 'done', status: 200 });
  });

  it('evicts archived exchanges oldest first by count and by bytes, and gives their slabs back', async () => {
    const evictedIds: string[] = [];
    const store = new CaptureStore(
      CaptureSettingsSchema.parse({ maxExchanges: 30, maxBytes: 3 * SLAB_BYTES }),
      { changed: () => {}, evicted: (live, archived) => evictedIds.push(...live.map((r) => r.id), ...archived) },
      { archiveEveryMs: Infinity },
    );
    // 200 KiB bodies: five to a slab, so the byte bound (three slabs) bites before the count.
    const port = await engineWith(store, Buffer.alloc(200 * 1024, 'b'));
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; i < 40; i++) {
      await request(port, { host: 'app.localhost', path: `/${i}`, agent });
      store.archiveFinished();
    }
    agent.destroy();
    const { exchanges, bytes, heldBytes } = store.stats();
    expect(bytes).toBeLessThanOrEqual(3 * SLAB_BYTES);
    expect(exchanges).toBeLessThan(30);
    expect(store.list().at(-1)!.url).toBe('/39');
    expect(store.list()[0]!.url).toBe(`/${40 - exchanges}`);
    // Evicted in order, each once; the slabs held stay within one slab of the budget.
    expect(evictedIds).toEqual(Array.from({ length: 40 - exchanges }, (_, i) => `x${i + 1}`));
    expect(heldBytes).toBeLessThanOrEqual(4 * SLAB_BYTES);
    expect(store.get('x1')).toBeUndefined();

    expect(store.clearThrough(`x${40 - exchanges + 2}`)).toBe(2);
    expect(store.list()[0]!.url).toBe(`/${40 - exchanges + 2}`);
    expect(store.clear()).toBe(exchanges - 2);
    expect(store.stats()).toEqual({ exchanges: 0, bytes: 0, heldBytes: 0 });
    await request(port, { host: 'app.localhost', path: '/after-clear' });
    store.archiveFinished();
    expect(store.list().map((x) => x.url)).toEqual(['/after-clear']);
  });

  it('archives an exchange larger than a slab whole, and the exchanges around it intact', async () => {
    const store = new CaptureStore(CaptureSettingsSchema.parse({ bodyLimit: 2 * SLAB_BYTES }), undefined, { archiveEveryMs: Infinity });
    // Random bytes: slabs holding them stay unpacked, so what the archive holds shows every slab.
    const big = randomBytes(3 * SLAB_BYTES);
    const app = close(await startBackend('app', (req, res) => req.resume().on('end', () => res.end(req.url === '/big' ? big : Buffer.from(req.url!)))));
    const engine = close(
      await startEngine({ config: makeConfig([{ host: 'app.localhost', target: app.url }]), http: { host: '127.0.0.1', port: 0 }, recorder: store }),
      (e) => e.close(100),
    );
    const upload = randomBytes(SLAB_BYTES + 5);
    for (const path of ['/before', '/big', '/after']) {
      await request(engine.http.port, { host: 'app.localhost', path, method: 'POST', body: path === '/big' ? upload : 'small' });
      store.archiveFinished();
    }
    const [before, bigOne, after] = [...store.exchanges()];
    expect(bigOne).toBeInstanceOf(ArchivedExchange);
    expect(bigOne!.bodyBytes('request').equals(upload)).toBe(true);
    expect(bigOne!.bodyBytes('response').equals(big.subarray(0, 2 * SLAB_BYTES))).toBe(true);
    expect(bigOne!.bodyInfo('response')).toEqual({ size: 3 * SLAB_BYTES, captured: 2 * SLAB_BYTES, truncated: true });
    expect(before!.bodyBytes('response').toString()).toBe('/before');
    expect(after!.bodyBytes('response').toString()).toBe('/after');
    // The big one took a slab of its own size (about three), and nothing more was left behind.
    await store.archivePacked();
    expect(store.stats().heldBytes).toBeLessThan(4.5 * SLAB_BYTES);
  });

  it('answers a reader consistently while traffic writes and evicts', async () => {
    const store = new CaptureStore(CaptureSettingsSchema.parse({ maxExchanges: 200 }), undefined, { archiveEveryMs: 5 });
    const body = Buffer.from('{"items":[1,2,3]}');
    const port = await engineWith(store, body);
    let traffic = true;
    const writer = (async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      for (let i = 0; i < 1200; i += 8) {
        await Promise.all(Array.from({ length: 8 }, (_, j) => request(port, { host: 'app.localhost', path: `/n/${i + j}`, agent })));
      }
      agent.destroy();
      traffic = false;
    })();
    let reads = 0;
    let archivedReads = 0;
    while (traffic) {
      const summaries = store.summaries(50);
      for (const summary of summaries) {
        const x = store.get(summary.id);
        if (!x) continue; // evicted between the two reads
        if (x instanceof ArchivedExchange) archivedReads++;
        const snapshot = x.snapshot();
        expect(snapshot.id).toBe(summary.id);
        expect(snapshot.url).toBe(summary.url);
        if (snapshot.state === 'done') expect(store.body(x, 'response').raw).toBe(body.toString('base64'));
        reads++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer;
    expect(reads).toBeGreaterThan(100);
    expect(archivedReads).toBeGreaterThan(0);
    expect(store.stats().exchanges).toBe(200);
    expect(store.list().map((x) => x.url)).toContain('/n/1199');
  });
});
