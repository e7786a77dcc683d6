// A UI that stops reading its WebSocket (a frozen tab) while traffic keeps coming: the
// control server stops queueing traffic events for it past a bound, and tells it to load
// the list again once it reads again.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { toHar } from '../../proxy-core/capture/har.js';
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

describe('control server WebSocket under a reader that fell behind', () => {
  it('drops traffic events past a bound instead of queueing them, then asks for a reload', { timeout: 60_000 }, async () => {
    running = await startService({ routes: [] }, { control: true });
    const port = running.control!.port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${TOKEN}`, { origin: `http://127.0.0.1:${port}` });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const events: string[] = [];
    let received = 0;
    ws.on('message', (raw: Buffer) => {
      received += raw.length;
      events.push((JSON.parse(String(raw)) as { event?: string }).event ?? 'reply');
    });
    // The tab freezes: nothing is read from its socket.
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();

    const importHar = (har: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/commands/traffic.importHar`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(har),
      }).then((r) => r.json());
    let produced = 0;
    for (let round = 0; round < 12; round++) {
      expect(await importHar(bigHar(500, round))).toEqual({ imported: 500 });
      produced += 500 * 4_000;
      await new Promise((resolve) => setTimeout(resolve, 80)); // a batch goes out every 50 ms
    }

    socket.resume();
    await expect.poll(() => events.includes('traffic.resync'), { timeout: 20_000 }).toBe(true);
    // Far less than everything the store produced reached this reader.
    expect(received).toBeLessThan(produced / 2);
    ws.close();
  });
});
