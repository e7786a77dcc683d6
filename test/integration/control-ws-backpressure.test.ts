// A UI that stops reading its WebSocket (a frozen tab) while traffic keeps coming: the
// control server stops queueing traffic events for it past a bound and merges them instead
// (the newest summary per exchange, the evicted ids); once it reads again it gets the merge
// and ends with exactly the store's list. A merge that grows past its limit is dropped and
// the UI told to load the list again.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { toHar } from '../../proxy-core/capture/har.js';
import type { EventPayload, ExchangeSummary } from '../../proxy-core/contract/index.js';
import { exchange, CREATOR } from '../fixtures/har/sample.js';
import { startService, TOKEN, type TestService } from '../helpers/service.js';

let running: TestService;
afterEach(() => running?.close());

/** A HAR of `n` exchanges, each with a URL of a few KiB, so events are large (they carry no headers). */
function bigHar(n: number, round: number): unknown {
  const padding = 'p'.repeat(4_000);
  const items = Array.from({ length: n }, (_, i) => ({
    exchange: exchange(`h${round}-${i}`, { url: `/round/${round}/${i}?${padding}` }),
  }));
  return toHar(items, CREATOR);
}

/** A reader that keeps the list the way the renderer does: upsert by id, drop the evicted. */
async function frozenReader(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${port}` });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const events: string[] = [];
  const list = new Map<string, ExchangeSummary>();
  let received = 0;
  let summaries = 0;
  ws.on('message', (raw: Buffer) => {
    received += raw.length;
    const message = JSON.parse(String(raw)) as { event?: string; data?: unknown };
    events.push(message.event ?? 'reply');
    if (message.event === 'traffic.cleared') list.clear();
    if (message.event !== 'traffic') return;
    const batch = message.data as EventPayload<'traffic'>;
    for (const id of batch.evicted) list.delete(id);
    for (const x of [...batch.started, ...batch.updated, ...batch.finished]) list.set(x.id, x);
    summaries += batch.started.length + batch.updated.length + batch.finished.length;
  });
  // The tab freezes: nothing is read from its socket.
  const socket = (ws as unknown as { _socket: Socket })._socket;
  socket.pause();
  return { ws, events, list, received: () => received, summaries: () => summaries, thaw: () => socket.resume() };
}

async function flood(port: number, rounds: number): Promise<number> {
  let produced = 0;
  for (let round = 0; round < rounds; round++) {
    const reply = await fetch(`http://127.0.0.1:${port}/api/commands/traffic.importHar`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(bigHar(500, round)),
    });
    expect(await reply.json()).toEqual({ imported: 500 });
    produced += 500 * 4_000;
    await new Promise((resolve) => setTimeout(resolve, 80)); // a batch goes out every 50 ms
  }
  return produced;
}

const storeIds = async (port: number) => {
  const reply = await fetch(`http://127.0.0.1:${port}/api/commands/traffic.list`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await reply.json()) as ExchangeSummary[]).map((x) => x.id).sort();
};

describe('control server WebSocket under a reader that fell behind', () => {
  it('merges what it missed and sends it once it reads again: exactly the store list, no reload', { timeout: 60_000 }, async () => {
    // A small store, so the oldest are evicted while the reader is away.
    running = await startService({ routes: [], capture: { maxExchanges: 2_000 } }, { control: true });
    const port = running.control!.port;
    const reader = await frozenReader(port);
    await flood(port, 12);
    reader.thaw();
    const expected = await storeIds(port);
    expect(expected).toHaveLength(2_000);
    await expect.poll(() => [...reader.list.keys()].sort(), { timeout: 20_000 }).toEqual(expected);
    expect(reader.events).not.toContain('traffic.resync');
    // What was announced and evicted while it was away never reached it: of the 6,000
    // exchanges, those it read before falling behind and the 2,000 the store still holds.
    expect(reader.summaries()).toBeLessThan(6_000 - 1_000);
    reader.ws.close();
  });

  it('drops a merge that outgrew its limit and asks for a reload instead', { timeout: 60_000 }, async () => {
    running = await startService({ routes: [] }, { control: true, backlogLimit: 1_000 });
    const port = running.control!.port;
    const reader = await frozenReader(port);
    const produced = await flood(port, 12);
    reader.thaw();
    await expect.poll(() => reader.events.includes('traffic.resync'), { timeout: 20_000 }).toBe(true);
    expect(reader.received()).toBeLessThan(produced / 2);
    reader.ws.close();
  });
});
