import { describe, expect, it } from 'vitest';
import { CHUNK, frameQueue, MIN_INTERVAL_MS, type FrameEnv } from '../../renderer/src/store/frame-queue.js';
import type { TrafficItem } from '../../renderer/src/store/types.js';
import { row } from '../fixtures/traffic-rows.js';

/** A page with a 60 Hz display whose frames the test runs by hand. */
function page() {
  let now = 0;
  let frames: ((now: number) => void)[] = [];
  const env: FrameEnv = { frame: (cb) => void frames.push(cb), later: () => {}, hidden: () => false, now: () => now };
  const applied: { at: number; exchanges: number }[] = [];
  const queue = frameQueue((items) => applied.push({ at: now, exchanges: items.reduce((n, x) => n + (x.kind === 'batch' ? x.finished.length : 0), 0) }), env);
  const frame = () => {
    now += 1000 / 60;
    const due = frames;
    frames = [];
    for (const cb of due) cb(now);
  };
  return { queue, frame, applied };
}

let next = 0;
const batch = (n: number): TrafficItem => ({ kind: 'batch', started: [], updated: [], finished: Array.from({ length: n }, () => row(next++)), evicted: [] });

describe('the traffic frame queue', () => {
  it('applies a batch after a quiet spell in the next frame', () => {
    const { queue, frame, applied } = page();
    queue.enqueue(batch(1));
    frame();
    expect(applied).toHaveLength(1);
    for (let i = 0; i < 30; i++) frame();
    queue.enqueue(batch(1));
    frame();
    expect(applied).toHaveLength(2);
  });

  it('updates the list about ten times a second while batches stream in, and loses none', () => {
    const { queue, frame, applied } = page();
    // A batch before every frame for two seconds: 120 frames.
    for (let i = 0; i < 120; i++) {
      queue.enqueue(batch(33));
      frame();
    }
    for (let i = 0; i < 10; i++) frame();
    const gaps = applied.slice(1).map((x, i) => x.at - applied[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    expect(applied.length).toBeLessThanOrEqual(25);
    expect(applied.reduce((n, x) => n + x.exchanges, 0)).toBe(120 * 33);
  });

  it('spreads a backlog over several updates, CHUNK exchanges each', () => {
    const { queue, frame, applied } = page();
    queue.enqueue(batch(CHUNK * 2 + 10));
    for (let i = 0; i < 30; i++) frame();
    expect(applied.map((x) => x.exchanges)).toEqual([CHUNK, CHUNK, 10]);
  });
});
