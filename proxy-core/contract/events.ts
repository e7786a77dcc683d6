// Events the control service pushes to every UI. Traffic comes in batches (at most one
// every 50 ms), so a busy dev server cannot flood the renderer.
import { z } from 'zod';
import { ConfigSchema } from './config.js';
import { StatusSchema } from './commands.js';
import { ExchangeSummarySchema } from './exchange.js';
import { BreakpointResumedSchema, PausedSchema } from './rules.js';
import { ProcessRouteSchema } from './processes.js';

export const events = {
  /**
   * Latest summaries since the last batch; an exchange appears once, under its newest state.
   * Summaries carry no header lists (the bulk of an exchange): whoever needs them asks
   * traffic.get for the one exchange it shows.
   */
  traffic: z.object({
    started: z.array(ExchangeSummarySchema),
    updated: z.array(ExchangeSummarySchema),
    finished: z.array(ExchangeSummarySchema),
    /** Ids dropped from the store to stay within its bounds. */
    evicted: z.array(z.string()),
  }),
  'traffic.cleared': z.object({}),
  /**
   * Sent by the control server to a WebSocket that fell so far behind that the traffic merged
   * for it (rather than queued without bound) was dropped: it should load traffic.list again.
   */
  'traffic.resync': z.object({}),
  /** A target went down (a connection failed) or came back (it answered). */
  'route.health': z.object({ route: z.string(), target: z.string(), up: z.boolean(), lastError: z.string().optional() }),
  'config.changed': ConfigSchema,
  listeners: StatusSchema,
  /** An exchange stopped at a breakpoint rule and waits for breakpoints.resume or .abort. */
  'breakpoint.paused': PausedSchema,
  /** A paused exchange went on (or was aborted, timed out, or the client left). */
  'breakpoint.resumed': BreakpointResumedSchema,
  /** The process routes, whenever one comes or goes. */
  'processes.changed': z.array(ProcessRouteSchema),
  /** Someone asked a process route's owner to stop its command (processes.stop). */
  'processes.stopRequested': z.object({ id: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
