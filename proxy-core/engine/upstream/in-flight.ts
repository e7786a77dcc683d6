// A request on a route with several targets: which target it holds (the count
// least-connections reads) and whether it had its one retry. Routes with one target never
// build this, so their requests pay nothing for balancing.
import type { RouteMatch } from '../routing-table.js';
import type { Upstream } from './pool.js';

export class InFlight {
  retried = false;
  /** The target whose `load.active` this request adds to; undefined once released. */
  private holding: Upstream | undefined;

  constructor(
    readonly match: RouteMatch,
    upstream: Upstream,
  ) {
    this.hold(upstream);
  }

  /**
   * Releases the count when `closer` closes (the client response or socket: after the
   * last byte, on an error page, on an abort alike), so each request is counted down once.
   */
  releaseOn(closer: { once(event: 'close', listener: () => void): unknown }): void {
    closer.once('close', () => this.release());
  }

  /** The request moves to another target (a retry): the count moves with it, if still held. */
  moveTo(upstream: Upstream): void {
    if (!this.holding) return;
    this.release();
    this.hold(upstream);
  }

  private hold(upstream: Upstream): void {
    upstream.load.active += 1;
    this.holding = upstream;
  }

  private release(): void {
    if (this.holding) this.holding.load.active -= 1;
    this.holding = undefined;
  }
}
