// Full slabs of the capture archive are packed (zstd, on the thread pool): text traffic then
// costs a fraction of its raw size, and every exchange still reads back exactly — its
// snapshot, its body, its headers — whether its slab is packed, unpacked again or never
// packed because its bytes would not shrink.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { SLAB_BYTES } from '../../proxy-core/capture/archive/slabs.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';
import { request } from '../helpers/request.js';

const close = closeAfter('each');

/** A JSON page of items, different for every path: what an API under development answers. */
const jsonFor = (n: number) =>
  JSON.stringify({
    page: n,
    items: Array.from({ length: 12 }, (_, i) => ({
      id: n * 100 + i,
      name: `Item ${n}-${i}`,
      price: ((n * 31 + i * 7) % 997) / 10,
      tags: ['shop', `c${i % 5}`],
    })),
  });

/** Records `count` exchanges whose response bodies come from `bodyFor`, all archived. */
async function record(count: number, bodyFor: (n: number) => Buffer) {
  const app = close(
    await startBackend('app', (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(bodyFor(Number(req.url!.slice(1))));
    }),
  );
  const store = new CaptureStore(CaptureSettingsSchema.parse({}), undefined, { archiveEveryMs: Infinity });
  const engine = close(
    await startEngine({ config: makeConfig([{ host: 'app.localhost', target: app.url }]), http: { host: '127.0.0.1', port: 0 }, recorder: store }),
    (e) => e.close(100),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  for (let n = 0; n < count; n += 8) {
    await Promise.all(Array.from({ length: 8 }, (_, i) => request(engine.http.port, { host: 'app.localhost', path: `/${n + i}`, agent })));
    store.archiveFinished();
  }
  agent.destroy();
  await store.archivePacked();
  return store;
}

/** Every exchange reads back with its own path, status, body and content type. */
function expectEveryExchangeIntact(store: CaptureStore, bodyFor: (n: number) => Buffer) {
  let seen = 0;
  for (const x of store.exchanges()) {
    const { url, status, state } = x.snapshot();
    expect({ status, state }).toEqual({ status: 200, state: 'done' });
    expect(x.bodyBytes('response').equals(bodyFor(Number(url.slice(1))))).toBe(true);
    expect(x.header('response', 'content-type')).toBe('application/json');
    seen++;
  }
  return seen;
}

describe('packing full slabs of the capture archive', () => {
  it('keeps JSON traffic in a fraction of its raw size and reads every exchange back exactly', async () => {
    const body = (n: number) => Buffer.from(jsonFor(n));
    const store = await record(3000, body);
    const { exchanges, bytes, heldBytes } = store.stats();
    expect(exchanges).toBe(3000);
    // At least three full slabs were written; all but the one still being written shrank
    // to under a quarter.
    expect(bytes).toBeGreaterThan(3 * SLAB_BYTES);
    expect(heldBytes - SLAB_BYTES).toBeLessThan((bytes - SLAB_BYTES) / 4);
    // Twice, in opposite orders: the unpacked slabs kept for reading must not mix up.
    expect(expectEveryExchangeIntact(store, body)).toBe(3000);
    const newestFirst = [...store.exchanges()].reverse();
    for (const x of newestFirst.slice(0, 50)) expect(x.bodyBytes('response').equals(body(Number(x.snapshot().url.slice(1))))).toBe(true);
  });

  it('leaves slabs of bytes that do not shrink unpacked', async () => {
    const random = Array.from({ length: 800 }, () => randomBytes(4000));
    const body = (n: number) => random[n]!;
    const store = await record(800, body);
    const { bytes, heldBytes } = store.stats();
    expect(heldBytes).toBeGreaterThanOrEqual(bytes);
    expect(expectEveryExchangeIntact(store, body)).toBe(800);
  });
});
