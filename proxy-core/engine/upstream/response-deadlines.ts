// "Headers within timeouts.responseMs" for every request in flight, with one shared timer
// instead of a socket timeout and a listener per request (those showed up in profiles).
// A request still uploading its body is not late: its clock starts once the body is sent.
// Deadlines are kept in whole ticks, small integers V8 stores without allocating.
//
// The requests in flight live in a plain array, each knowing its slot, rather than a Map
// keyed by request: a long-lived Map churned by short-lived keys made V8's scavenger keep
// every request's objects alive one collection longer (12% of the young generation
// survived instead of under 1%, and were promoted), which cost more than all of Portico's
// own code on the hot path.
import type { ClientRequest } from 'node:http';
import { RESPONSE_TIMEOUT } from './upstream-errors.js';

const TICK_MS = 250;
const nowTick = () => Math.floor(performance.now() / TICK_MS);

const SLOT = Symbol('portico deadline slot');
type Watched = ClientRequest & { [SLOT]?: number | undefined };

export class ResponseDeadlines {
  private readonly pending: Watched[] = [];
  /** pending[i]'s deadline, in ticks. */
  private readonly deadlines: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The wait in ticks; timeouts are global, so the newest setting applies to all. */
  private ticks = 1;

  watch(request: Watched, ms: number): void {
    // One tick more, since the current one is partly gone: never early, at most a tick late.
    this.ticks = Math.ceil(ms / TICK_MS) + 1;
    const deadline = nowTick() + this.ticks;
    const slot = request[SLOT];
    if (slot !== undefined) {
      this.deadlines[slot] = deadline;
    } else {
      request[SLOT] = this.pending.length;
      this.pending.push(request);
      this.deadlines.push(deadline);
    }
    this.timer ??= setInterval(() => this.sweep(), TICK_MS).unref();
  }

  /** The response headers came (or the request is over): stop watching. */
  done(request: Watched): void {
    const slot = request[SLOT];
    if (slot === undefined) return;
    request[SLOT] = undefined;
    // The last one moves into the freed slot (pop clears the array's old last slot).
    const last = this.pending.pop()!;
    const lastDeadline = this.deadlines.pop()!;
    if (last !== request) {
      this.pending[slot] = last;
      this.deadlines[slot] = lastDeadline;
      last[SLOT] = slot;
    }
  }

  private sweep(): void {
    const now = nowTick();
    // Backwards, so a removal only moves in a request already looked at.
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const request = this.pending[i]!;
      if (request.destroyed) {
        this.done(request);
      } else if (!request.writableFinished) {
        this.deadlines[i] = now + this.ticks; // still sending the body: the wait has not begun
      } else if (now >= this.deadlines[i]!) {
        this.done(request);
        const err: NodeJS.ErrnoException = new Error('no response from upstream in time');
        err.code = RESPONSE_TIMEOUT;
        request.destroy(err);
      }
    }
    if (this.pending.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
