// Rate limit per client address: one token bucket each, O(1) per request. Memory stays
// bounded: buckets that have refilled (idle clients) are dropped by an occasional sweep,
// and past MAX_CLIENTS the oldest bucket makes room.
import { fullBucket, isIdle, take, type Bucket, type Rate } from './rate-bucket.js';
import type { StageFactory } from '../stage.js';

const MAX_CLIENTS = 10_000;
const SWEEP_EVERY_MS = 10_000;

export class ClientBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;
  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the client may go on, else milliseconds until it may. */
  take(client: string): number {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = fullBucket(this.rate, now);
      this.buckets.set(client, bucket);
    }
    return take(bucket, this.rate, now);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [client, bucket] of this.buckets) if (isIdle(bucket, this.rate, now)) this.buckets.delete(client);
  }
}

export const rateLimitPolicy: StageFactory = (route, switches) => {
  const limit = switches.firewall.rateLimit;
  if (!limit) return undefined;
  const rate = { perSecond: limit.requestsPerSecond, burst: limit.burst ?? Math.ceil(limit.requestsPerSecond) };
  const buckets = new ClientBuckets(rate);
  return {
    name: 'firewall: rate limit',
    describe: () => `${limit.requestsPerSecond} request(s) per second per client, bursts of ${rate.burst}`,
    request(ex) {
      const wait = buckets.take(ex.req.socket.remoteAddress ?? '');
      if (wait === 0) return undefined;
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      return {
        status: 429,
        title: 'Too many requests',
        message: `${route.host} allows ${limit.requestsPerSecond} request(s) per second per client (bursts of ${rate.burst}). Try again in ${seconds} s.`,
        headers: { 'retry-after': seconds },
        mark: 'firewall: rate limit',
      };
    },
  };
};
