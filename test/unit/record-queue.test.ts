// The capture store's queue: oldest first, found by number, compacted as the front empties,
// and slots emptied when their exchange moves to the archive.
import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../proxy-core/capture/exchange-record.js';
import { RecordQueue } from '../../proxy-core/capture/record-queue.js';

const record = (seq: number) => ({ id: `x${seq}` }) as ExchangeRecord;

function filled(from: number, to: number): RecordQueue {
  const queue = new RecordQueue();
  for (let seq = from; seq <= to; seq++) queue.push(record(seq), seq);
  return queue;
}

describe('RecordQueue', () => {
  it('keeps records oldest first and finds each by its number', () => {
    const queue = filled(1, 5);
    expect(queue.size).toBe(5);
    expect([queue.oldestSeq, queue.endSeq]).toEqual([1, 6]);
    expect(queue.get(3)?.id).toBe('x3');
  });

  it.each([
    [0, 'before the first'],
    [6, 'after the last'],
    [2.5, 'not a whole number'],
    [Number.NaN, 'not a number'],
  ])('finds nothing for %s (%s)', (seq) => {
    const queue = filled(1, 5);
    expect(queue.get(seq)).toBeUndefined();
    expect(queue.has(seq)).toBe(false);
  });

  it('takes the oldest out, and no longer finds it', () => {
    const queue = filled(1, 5);
    expect(queue.shift()?.id).toBe('x1');
    expect(queue.shift()?.id).toBe('x2');
    expect(queue.get(2)).toBeUndefined();
    expect(queue.get(3)?.id).toBe('x3');
    expect(queue.size).toBe(3);
    expect(queue.newest()).toEqual([3, 6]);
  });

  it('lets go of an archived record but keeps its number in line', () => {
    const queue = filled(1, 5);
    queue.release(2);
    expect(queue.get(2)).toBeUndefined();
    expect(queue.has(2)).toBe(true);
    expect(queue.size).toBe(5);
    queue.shift();
    expect(queue.shift()).toBeUndefined();
    expect(queue.oldestSeq).toBe(3);
  });

  it.each([
    [undefined, [3, 6]],
    [2, [4, 6]],
    [10, [3, 6]],
    [0, [6, 6]],
  ])('gives the numbers of the newest %s', (count, expected) => {
    const queue = filled(1, 5);
    queue.shift();
    queue.shift();
    expect(queue.newest(count)).toEqual(expected);
  });

  it('compacts its array as the front empties, numbers unchanged', () => {
    const queue = filled(1, 10_000);
    for (let i = 0; i < 9_000; i++) queue.shift();
    expect(queue.size).toBe(1_000);
    expect(queue.get(9_001)?.id).toBe('x9001');
    expect(queue.get(10_000)?.id).toBe('x10000');
    queue.push(record(10_001), 10_001);
    expect(queue.get(10_001)?.id).toBe('x10001');
  });

  it('refuses a record out of order, and starts afresh after a clear', () => {
    const queue = filled(1, 3);
    expect(() => queue.push(record(5), 5)).toThrow(/out of order/);
    queue.clear();
    expect(queue.size).toBe(0);
    queue.push(record(7), 7);
    expect(queue.get(7)?.id).toBe('x7');
  });
});
