// What the engine counts per route for the Routes view: the cache's hits and misses and
// the bytes it answered with, and what compression took in and sent out. Counted since
// the engine started (a config change keeps them, as it keeps the cache).
import { z } from 'zod';

export const RouteStatsSchema = z.object({
  /** The route's id. */
  route: z.string(),
  cache: z.object({
    /** Answered from the store (fresh, or after the backend said 304). */
    hits: z.number(),
    /** Looked up, not found usable: the backend answered. */
    misses: z.number(),
    /** Body bytes answered from the store: bytes the backend did not send. */
    bytesServed: z.number(),
  }),
  compression: z.object({
    /** Responses that went out encoded. */
    responses: z.number(),
    /** Their bytes before and after encoding. */
    bytesIn: z.number(),
    bytesOut: z.number(),
  }),
});

export type RouteStats = z.output<typeof RouteStatsSchema>;
