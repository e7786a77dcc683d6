// "Headers within timeouts.responseMs" for every request in flight, with one shared timer
// instead of a socket timeout and a listener per request (those showed up in profiles).
// A request still uploading its body is not late: its clock starts once the body is sent.
import type { ClientRequest } from 'node:http';
import { RESPONSE_TIMEOUT } from './upstream-errors.js';

const TICK_MS = 250;

export class ResponseDeadlines {
  private readonly pending = new Map<ClientRequest, { ms: number; deadline: number }>();
  private timer: NodeJS.Timeout | undefined;

  watch(request: ClientRequest, ms: number): void {
    this.pending.set(request, { ms, deadline: Date.now() + ms });
    this.timer ??= setInterval(() => this.sweep(), TICK_MS).unref();
  }

  /** The response headers came (or the request is over): stop watching. */
  done(request: ClientRequest): void {
    this.pending.delete(request);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [request, entry] of this.pending) {
      if (request.destroyed) {
        this.pending.delete(request);
      } else if (!request.writableFinished) {
        entry.deadline = now + entry.ms; // still sending the body: the wait has not begun
      } else if (now >= entry.deadline) {
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
