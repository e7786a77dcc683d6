import { describe, expect, it } from 'vitest';
import { TrafficBacklog } from '../../proxy-core/control-server/traffic-backlog.js';
import type { EventPayload, ExchangeSummary } from '../../proxy-core/contract/index.js';
import { row } from '../fixtures/traffic-rows.js';

const x = (i: number, state: 'pending' | 'done' = 'done') => row(i, { state }) as ExchangeSummary;
const batch = (patch: Partial<EventPayload<'traffic'>>): EventPayload<'traffic'> => ({ started: [], updated: [], finished: [], evicted: [], ...patch });
const ids = (list: ExchangeSummary[]) => list.map((s) => s.id);

describe('the traffic backlog of a reader that fell behind', () => {
  it('keeps the newest summary per exchange, and forgets those announced and evicted while it was away', () => {
    const backlog = new TrafficBacklog(100);
    backlog.add(batch({ started: [x(1, 'pending'), x(2, 'pending')], updated: [x(0, 'pending')] }));
    backlog.add(batch({ finished: [x(1)], evicted: ['x2', 'old'] }));
    backlog.add(batch({ updated: [x(0)] }));
    const [only, ...more] = backlog.take();
    expect(more).toEqual([]);
    expect(ids(only!.finished)).toEqual(['x1']);
    expect(ids(only!.updated)).toEqual(['x0']);
    expect(only!.updated[0]!.state).toBe('done');
    expect(only!.started).toEqual([]);
    // x2 was new while the reader was away: it never hears of it; "old" it may have seen.
    expect(only!.evicted).toEqual(['old']);
    expect(backlog.take()).toEqual([]); // taken once
  });

  it('cuts a large merge into events of 2,000 exchanges, evictions in the first', () => {
    const backlog = new TrafficBacklog(10_000);
    backlog.add(batch({ finished: Array.from({ length: 4_500 }, (_, i) => x(i)), evicted: ['gone'] }));
    const events = backlog.take();
    expect(events.map((e) => e.finished.length)).toEqual([2_000, 2_000, 500]);
    expect(events.map((e) => e.evicted)).toEqual([['gone'], [], []]);
  });

  it('gives up past its limit, and starts over after a clear', () => {
    const backlog = new TrafficBacklog(10);
    backlog.add(batch({ finished: Array.from({ length: 11 }, (_, i) => x(i)) }));
    expect(backlog.overflowed).toBe(true);
    expect(backlog.take()).toEqual([]);
    backlog.add(batch({ finished: [x(20)] }));
    expect(backlog.take()).toEqual([]);
    backlog.cleared();
    backlog.add(batch({ finished: [x(21)] }));
    expect(backlog.overflowed).toBe(false);
    expect(ids(backlog.take()[0]!.finished)).toEqual(['x21']);
  });
});
