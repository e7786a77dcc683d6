// A target that a failed connection marked down is probed again with a bare TCP connect,
// with backoff, until it accepts one: the UI turns green within seconds of the dev server
// coming back, without waiting for a request to happen by. A connect is all it takes to
// undo a failed connect; a target an active health check holds down is that check's to
// bring back. One probe per origin, whatever number of routes use it; timers are unref'd.
import net from 'node:net';
import type { Upstream } from '../upstreams.js';
import type { HealthListener } from './health.js';

/** The first probe after this, then twice as long each time, up to REPROBE_MAX_MS. */
export const REPROBE_FIRST_MS = 250;
export const REPROBE_MAX_MS = 4_000;
const CONNECT_TIMEOUT_MS = 2_000;

export class ConnectionReprobes {
  private readonly probing = new Map<string, { timer?: NodeJS.Timeout; socket?: net.Socket }>();
  private stopped = false;

  constructor(private readonly onHealth: HealthListener | undefined) {}

  /** Starts probing a target that just went down (no-op while one probe already runs). */
  watch(upstream: Upstream, route: string): void {
    if (this.stopped || this.probing.has(upstream.origin)) return;
    const state: { timer?: NodeJS.Timeout; socket?: net.Socket } = {};
    this.probing.set(upstream.origin, state);
    const host = upstream.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(upstream.address.slice(upstream.address.lastIndexOf(':') + 1));
    let delay = REPROBE_FIRST_MS;
    const finish = () => this.probing.delete(upstream.origin);
    const schedule = () => {
      state.timer = setTimeout(probe, delay).unref();
      delay = Math.min(delay * 2, REPROBE_MAX_MS);
    };
    const probe = () => {
      if (this.stopped) return;
      if (upstream.health.up) return finish(); // a request got through meanwhile
      const socket = net.connect({ host, port, timeout: CONNECT_TIMEOUT_MS });
      state.socket = socket;
      socket.unref();
      const failed = () => {
        socket.destroy();
        if (!this.stopped) schedule();
      };
      socket.once('connect', () => {
        socket.destroy();
        finish();
        if (upstream.health.answered(Date.now())) this.onHealth?.({ route, target: upstream.origin, up: true });
      });
      socket.once('timeout', failed);
      socket.once('error', failed);
    };
    schedule();
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.probing.values()) {
      clearTimeout(state.timer);
      state.socket?.destroy();
    }
    this.probing.clear();
  }
}
