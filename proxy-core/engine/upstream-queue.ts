// The bound on requests waiting for a backend connection. Each backend origin has one
// keep-alive agent of UPSTREAM_MAX_SOCKETS connections (upstreams.ts); past that, Node
// queues requests in the agent without limit, so one route whose backend never answers
// would make every later request to that backend hang. Past UPSTREAM_MAX_WAITING queued
// requests Portico answers 503 at once, saying how many are waiting.
import type { ClientRequest } from 'node:http';
import type { Upstream } from './upstreams.js';

/** Connections Portico opens to one backend origin at most. */
export const UPSTREAM_MAX_SOCKETS = 256;
/** Requests that may wait for one of those connections before new ones get a 503. */
export const UPSTREAM_MAX_WAITING = 256;

/** Requests queued in the agent for a free connection (Node's documented `agent.requests`). */
export function waitingFor(upstream: Upstream): number {
  let waiting = 0;
  for (const queue of Object.values(upstream.agent.requests)) {
    // A request whose client left stays queued until a socket frees, then is dropped
    // unsent; it does not count against the bound.
    if (queue) for (const request of queue) if (!request.destroyed) waiting++;
  }
  return waiting;
}

/** How many are waiting, when that is too many for one more; undefined otherwise. */
export function queueFull(upstream: Upstream): number | undefined {
  const waiting = waitingFor(upstream);
  return waiting >= UPSTREAM_MAX_WAITING ? waiting : undefined;
}

/** Every request in the agent's queues, sent or dropped later; to spot the one just added. */
export function queuedCount(upstream: Upstream): number {
  let count = 0;
  for (const queue of Object.values(upstream.agent.requests)) count += queue?.length ?? 0;
  return count;
}

/**
 * The request the agent queued since `before` was counted, if it queued one: http-proxy-3
 * reports its upstream request only once a socket is assigned, and a client that leaves
 * while the request waits must still be able to cancel it.
 */
export function lastQueued(upstream: Upstream, before: number): ClientRequest | undefined {
  if (queuedCount(upstream) <= before) return undefined;
  for (const queue of Object.values(upstream.agent.requests)) {
    const last = queue?.[queue.length - 1];
    if (last) return last as ClientRequest;
  }
  return undefined;
}
