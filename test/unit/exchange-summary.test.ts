import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { ConfigSchema, summarize } from '../../proxy-core/contract/index.js';

const settings = ConfigSchema.parse({}).capture;

function recordedExchange(store: CaptureStore) {
  const record = store.begin({
    kind: 'http',
    startedAt: Date.now(),
    client: '127.0.0.1',
    scheme: 'https',
    httpVersion: '2.0',
    method: 'POST',
    host: 'shop.localhost',
    url: '/api/cart?x=1',
    rawHeaders: [':authority', 'shop.localhost', 'Content-Type', 'application/json'],
  })!;
  record.requestData(Buffer.from('{"a":1}'));
  record.routed('shop.localhost', 'http://127.0.0.1:3000');
  record.responseHead(201, ['Content-Type', 'text/html; charset=utf-8', 'content-encoding', 'gzip', 'Set-Cookie', 'a=1']);
  record.mark('cache', 'MISS');
  record.responseData(Buffer.from('<p>ok</p>'));
  record.finished();
  return record;
}

describe('exchange summaries', () => {
  it('say what the whole exchange says, without its header lists', () => {
    const store = new CaptureStore(settings);
    const record = recordedExchange(store);
    const summary = record.summary();
    expect(summary).toEqual(summarize(record.snapshot()));
    expect(summary).toMatchObject({ contentType: 'text/html; charset=utf-8', contentEncoding: 'gzip', status: 201, marks: { cache: 'MISS' } });
    expect(summary).not.toHaveProperty('requestHeaders');
    expect(summary).not.toHaveProperty('responseHeaders');
  });

  it('are listed oldest first, as many as asked for', () => {
    const store = new CaptureStore(settings);
    const ids = [recordedExchange(store), recordedExchange(store), recordedExchange(store)].map((r) => r.id);
    expect(store.summaries().map((x) => x.id)).toEqual(ids);
    expect(store.summaries(2).map((x) => x.id)).toEqual(ids.slice(1));
  });
});
