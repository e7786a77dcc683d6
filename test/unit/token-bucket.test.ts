// The token bucket's pacing with a fake clock: the rate comes out exact whatever the chunk
// sizes and however late the ticks, idle credit is capped, and a destroyed stream stops.
import { describe, expect, it } from 'vitest';
import { kbpsToBytes, ThrottleStream, TokenBucket, type Clock } from '../../proxy-core/engine/throttle/throttle-stream.js';

/** A clock that only moves when told, waking waiters like the shared ticker would. */
function fakeClock() {
  let t = 0;
  const waiting = new Set<() => void>();
  const clock: Clock = {
    now: () => t,
    wait: (wake) => void waiting.add(wake),
    cancel: (wake) => void waiting.delete(wake),
  };
  return {
    clock,
    waiting,
    advance(ms: number) {
      t += ms;
      const due = [...waiting];
      waiting.clear();
      for (const wake of due) wake();
    },
  };
}

describe('TokenBucket', () => {
  it('grants the rate over time, starting empty and capping idle credit at 100 ms worth', () => {
    const bucket = new TokenBucket(100_000, 0);
    expect(bucket.take(50_000, 0)).toBe(0);
    expect(bucket.take(50_000, 50)).toBe(5000);
    expect(bucket.take(50_000, 10_050)).toBe(10_000); // 10 s idle, but the burst is 100 ms worth
    expect(new TokenBucket(2000, 0).take(50_000, 10_000)).toBe(1024); // never less than 1 KiB
  });

  it('kbit is 1000 bits', () => {
    expect(kbpsToBytes(1000)).toBe(125_000);
    expect(kbpsToBytes(400)).toBe(50_000);
  });
});

describe('ThrottleStream', () => {
  const cases: [string, number, number[], number][] = [
    // name, bytes/s, chunk sizes written, tick ms
    ['one big chunk', 32_000, [64_000], 10],
    ['many small chunks', 32_000, Array(640).fill(100), 10],
    ['late ticks', 125_000, [250_000], 40],
  ];
  it.each(cases)('%s: leaves at the set rate', async (_name, rate, chunks, tickMs) => {
    const { clock, advance } = fakeClock();
    const stream = new ThrottleStream(rate, clock);
    const total = chunks.reduce((a, b) => a + b, 0);
    let received = 0;
    let elapsed = 0;
    stream.on('data', (c: Buffer) => (received += c.length));
    for (const size of chunks) stream.write(Buffer.alloc(size));
    stream.end();
    while (received < total && elapsed < 60_000) {
      advance(tickMs);
      elapsed += tickMs;
      await new Promise((resolve) => setImmediate(resolve)); // let the writable side feed the next chunk
    }
    expect(received).toBe(total);
    const expected = (total / rate) * 1000;
    expect(elapsed).toBeGreaterThanOrEqual(expected);
    expect(elapsed).toBeLessThanOrEqual(expected + 2 * tickMs);
  });

  it('stops waiting once destroyed', () => {
    const { clock, waiting } = fakeClock();
    const stream = new ThrottleStream(1000, clock);
    stream.on('error', () => {});
    stream.write(Buffer.alloc(10_000));
    expect(waiting.size).toBe(1);
    stream.destroy();
    expect(waiting.size).toBe(0);
  });
});
