// "Headers within timeouts.responseMs" for every request in flight, with one shared timer
// instead of a socket timeout and a listener per request (those showed up in profiles).
// A request still uploading its body is not late: its clock starts once the body is sent.
// Deadlines are kept in whole ticks, small integers V8 stores without allocating.
import type { ClientRequest } from 'node:http';
import { RESPONSE_TIMEOUT } from './upstream-errors.js';

const TICK_MS = 250;
const nowTick = () => Math.floor(performance.now() / TICK_MS);

export class ResponseDeadlines {
  private readonly pending = new Map<ClientRequest, number>();
  private timer: NodeJS.Timeout | undefined;
  /** The wait in ticks; timeouts are global, so the newest setting applies to all. */
  private ticks = 1;

  watch(request: ClientRequest, ms: number): void {
    // One tick more, since the current one is partly gone: never early, at most a tick late.
    this.ticks = Math.ceil(ms / TICK_MS) + 1;
    this.pending.set(request, nowTick() + this.ticks);
    this.timer ??= setInterval(() => this.sweep(), TICK_MS).unref();
  }

  /** The response headers came (or the request is over): stop watching. */
  done(request: ClientRequest): void {
    this.pending.delete(request);
  }

  private sweep(): void {
    const now = nowTick();
    for (const [request, deadline] of this.pending) {
      if (request.destroyed) {
        this.pending.delete(request);
      } else if (!request.writableFinished) {
        this.pending.set(request, now + this.ticks); // still sending the body: the wait has not begun
      } else if (now >= deadline) {
        this.pending.delete(request);
        const err: NodeJS.ErrnoException = new Error('no response from upstream in time');
        err.code = RESPONSE_TIMEOUT;
        request.destroy(err);
      }
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
