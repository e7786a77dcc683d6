// The capture store's queue: oldest first, found by number, compacted as the front empties.
import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../proxy-core/capture/exchange-record.js';
import { RecordQueue } from '../../proxy-core/capture/record-queue.js';

const record = (seq: number) => ({ id: `x${seq}` }) as ExchangeRecord;
const ids = (records: Iterable<ExchangeRecord>) => [...records].map((r) => r.id);

function filled(from: number, to: number): RecordQueue {
  const queue = new RecordQueue();
  for (let seq = from; seq <= to; seq++) queue.push(record(seq), seq);
  return queue;
}

describe('RecordQueue', () => {
  it('keeps records oldest first and finds each by its number', () => {
    const queue = filled(1, 5);
    expect(queue.size).toBe(5);
    expect(ids(queue.values())).toEqual(['x1', 'x2', 'x3', 'x4', 'x5']);
    expect(queue.get(3)?.id).toBe('x3');
    expect(queue.oldest()?.id).toBe('x1');
  });

  it.each([
    [0, 'before the first'],
    [6, 'after the last'],
    [2.5, 'not a whole number'],
    [Number.NaN, 'not a number'],
  ])('finds nothing for %s (%s)', (seq) => {
    expect(filled(1, 5).get(seq)).toBeUndefined();
  });

  it('takes the oldest out, and no longer finds it', () => {
    const queue = filled(1, 5);
    expect(queue.shift()?.id).toBe('x1');
    expect(queue.shift()?.id).toBe('x2');
    expect(queue.get(2)).toBeUndefined();
    expect(queue.get(3)?.id).toBe('x3');
    expect(queue.size).toBe(3);
    expect(ids(queue.values())).toEqual(['x3', 'x4', 'x5']);
  });

  it.each([
    [undefined, ['x3', 'x4', 'x5']],
    [2, ['x4', 'x5']],
    [10, ['x3', 'x4', 'x5']],
    [0, []],
  ])('lists the newest %s', (count, expected) => {
    const queue = filled(1, 5);
    queue.shift();
    queue.shift();
    expect(ids(queue.newest(count))).toEqual(expected);
  });

  it('stays right across compactions of a long run', () => {
    const queue = new RecordQueue();
    for (let seq = 1; seq <= 20_000; seq++) {
      queue.push(record(seq), seq);
      if (queue.size > 1_000) queue.shift();
    }
    expect(queue.size).toBe(1_000);
    expect(queue.oldest()?.id).toBe('x19001');
    expect(queue.get(19_500)?.id).toBe('x19500');
    expect(queue.get(19_000)).toBeUndefined();
    expect(ids(queue.newest(2))).toEqual(['x19999', 'x20000']);
  });

  it('starts numbering afresh after it emptied, and refuses a record out of order', () => {
    const queue = filled(1, 3);
    queue.clear();
    queue.push(record(9), 9);
    expect(queue.get(9)?.id).toBe('x9');
    expect(() => queue.push(record(11), 11)).toThrow(/out of order/);
  });
});
