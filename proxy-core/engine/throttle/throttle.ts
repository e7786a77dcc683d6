// Throttling a route like a slow network: a latency before the request goes on, and token
// buckets on the bytes each way — the request body (http-proxy-3's `buffer` option pipes
// our stream instead of `req`), the response body as it goes on the wire (after any
// compression, see throttle-stage.ts), and both directions of a WebSocket.
//
// Latency is added once, before the request leaves for the backend (or the cache answers
// it): the client then waits `latencyMs` longer for its first byte, which is what a
// DevTools-style minimum round-trip means for a page, and the backend sees the request
// when a real slow network would have delivered it.
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Duplex, type Readable } from 'node:stream';
import { describeThrottle, THROTTLE_PROFILES, type Throttle } from '../../contract/index.js';
import { kbpsToBytes, ThrottleStream } from './throttle-stream.js';

export interface ThrottlePlan {
  /** For the capture: "slow-3g", or "300 ms, ↓1000 ↑500 kbit/s". */
  readonly label: string;
  readonly latencyMs: number;
  /** Bytes per second; undefined means no limit that way. */
  readonly downBytes: number | undefined;
  readonly upBytes: number | undefined;
}

/** The throttle setting resolved to numbers; undefined when off (the fast path). */
export function throttlePlan(setting: Throttle | undefined): ThrottlePlan | undefined {
  if (setting === undefined || setting === false) return undefined;
  const numbers = typeof setting === 'string' ? THROTTLE_PROFILES[setting] : setting;
  const { latencyMs, downKbps, upKbps } = numbers;
  if (latencyMs === 0 && downKbps === undefined && upKbps === undefined) return undefined;
  return {
    label: describeThrottle(setting)!.mark,
    latencyMs,
    downBytes: downKbps === undefined ? undefined : kbpsToBytes(downKbps),
    upBytes: upKbps === undefined ? undefined : kbpsToBytes(upKbps),
  };
}

/**
 * Takes the request body now (same tick as the capture tap, so no chunk is lost while the
 * latency runs) and hands back what http-proxy-3 should pipe upstream instead of `req`.
 */
export function holdRequestBody(req: IncomingMessage, plan: ThrottlePlan): Readable | undefined {
  if (plan.upBytes === undefined && plan.latencyMs === 0) return undefined;
  const held = plan.upBytes === undefined ? new PassThrough() : new ThrottleStream(plan.upBytes);
  req.pipe(held);
  // http-proxy-3 reports errors on `req`; a torn-down client must still end this stream.
  req.once('close', () => {
    if (!req.complete) held.destroy();
  });
  return held;
}

/** Runs `go` after the plan's latency, unless the client left meanwhile. */
export function afterLatency(plan: ThrottlePlan, client: { once(event: 'close', listener: () => void): unknown }, go: () => void): void {
  if (plan.latencyMs === 0) return go();
  const timer = setTimeout(go, plan.latencyMs);
  client.once('close', () => clearTimeout(timer));
}

/**
 * Once http-proxy-3 has piped an upgraded WebSocket (`proxySocket ⇄ socket`), reroutes
 * both directions through token buckets. Runs at its 'open' event, before any byte
 * flowed (the pipe only starts on the next tick). Bytes still in a bucket when the
 * backend drops the TCP connection go with it; a clean WebSocket close does not lose
 * any, since the close frames travel through the buckets like the rest.
 */
export function throttleWebSocket(proxySocket: Duplex, socket: Duplex, plan: ThrottlePlan): void {
  if (plan.downBytes !== undefined) {
    const down = new ThrottleStream(plan.downBytes);
    proxySocket.unpipe(socket);
    proxySocket.pipe(down).pipe(socket);
    socket.once('close', () => down.destroy());
  }
  if (plan.upBytes !== undefined) {
    const up = new ThrottleStream(plan.upBytes);
    socket.unpipe(proxySocket);
    socket.pipe(up).pipe(proxySocket);
    proxySocket.once('close', () => up.destroy());
  }
}
