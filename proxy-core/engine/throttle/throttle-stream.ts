// A token bucket as a Transform stream: bytes leave at a set rate however fast they come
// in. Every throttled stream waits on one shared ticker (a single interval while any
// stream is waiting, none otherwise) rather than a timer per chunk; the bucket counts
// the time that really passed, so a late tick sends more, not less.
import { Transform, type TransformCallback } from 'node:stream';

/** How often waiting streams are woken: fine enough for kbit/s rates, cheap at any count. */
const TICK_MS = 10;

/** Time and wake-ups, injectable so the rate logic can be tested with a fake clock. */
export interface Clock {
  now(): number;
  /** Calls `wake` once, at a later tick. */
  wait(wake: () => void): void;
  cancel(wake: () => void): void;
}

class SharedTicker implements Clock {
  private readonly waiting = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  now(): number {
    return performance.now();
  }

  wait(wake: () => void): void {
    this.waiting.add(wake);
    // Unref'd: the sockets being throttled keep the process alive, not the pacing.
    this.timer ??= setInterval(() => this.tick(), TICK_MS).unref();
  }

  cancel(wake: () => void): void {
    this.waiting.delete(wake);
  }

  private tick(): void {
    const due = [...this.waiting];
    this.waiting.clear();
    for (const wake of due) wake();
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

export const sharedTicker: Clock = new SharedTicker();

export class TokenBucket {
  private tokens = 0; // starts empty, so a transfer takes size ÷ rate from its first byte
  private last: number;
  /** At most this much credit piles up while idle (100 ms worth, at least 1 KiB). */
  private readonly burst: number;

  constructor(
    readonly bytesPerSecond: number,
    now: number,
  ) {
    this.last = now;
    this.burst = Math.max(bytesPerSecond / 10, 1024);
  }

  /** Takes up to `want` bytes' worth of tokens; returns how many it got. */
  take(want: number, now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.bytesPerSecond) / 1000);
    this.last = now;
    const granted = Math.min(want, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }
}

/** kbit/s (1 kbit = 1000 bits) → bytes per second. */
export const kbpsToBytes = (kbps: number): number => (kbps * 1000) / 8;

/** Passes bytes through at `bytesPerSecond`, in slices as the tokens allow. */
export class ThrottleStream extends Transform {
  private readonly bucket: TokenBucket;
  private chunk: Buffer | undefined;
  private offset = 0;
  private callback: TransformCallback | undefined;

  constructor(
    bytesPerSecond: number,
    private readonly clock: Clock = sharedTicker,
  ) {
    super();
    this.bucket = new TokenBucket(bytesPerSecond, clock.now());
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunk = chunk;
    this.offset = 0;
    this.callback = callback;
    this.pump();
  }

  // The callback is held until the whole chunk went out, so the writer sees backpressure.
  private readonly pump = (): void => {
    const chunk = this.chunk;
    if (!chunk) return;
    const granted = this.bucket.take(chunk.length - this.offset, this.clock.now());
    if (granted > 0) {
      this.push(chunk.subarray(this.offset, this.offset + granted));
      this.offset += granted;
    }
    if (this.offset < chunk.length) {
      this.clock.wait(this.pump);
      return;
    }
    const callback = this.callback!;
    this.chunk = undefined;
    this.callback = undefined;
    callback();
  };

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clock.cancel(this.pump);
    this.chunk = undefined;
    callback(error);
  }
}
