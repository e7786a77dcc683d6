// A token bucket: `burst` tokens at most, refilled at `rate` per second, one taken per
// request. Pure arithmetic on a plain object so it is table-tested with a fake clock.

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

export interface Rate {
  /** Tokens per second. */
  perSecond: number;
  burst: number;
}

/** A full bucket, as a client we have not seen yet has. */
export function fullBucket(rate: Rate, now: number): Bucket {
  return { tokens: rate.burst, at: now };
}

/** Takes a token: 0 when granted, else the milliseconds until one will be there. */
export function take(bucket: Bucket, rate: Rate, now: number): number {
  const elapsed = Math.max(0, now - bucket.at);
  bucket.tokens = Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
  bucket.at = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.ceil(((1 - bucket.tokens) * 1000) / rate.perSecond);
}

/** A bucket that would be full by now carries no state worth keeping: the client is idle. */
export function isIdle(bucket: Bucket, rate: Rate, now: number): boolean {
  return bucket.tokens + ((now - bucket.at) * rate.perSecond) / 1000 >= rate.burst;
}
