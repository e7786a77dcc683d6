// Load balancing and health: how a route with several targets spreads requests, the
// optional active check, and the health record the UI reads (health.list). No Node
// imports here, so the renderer may use it too.
import { z } from 'zod';

export const BALANCE_POLICIES = ['round-robin', 'least-connections', 'first-available'] as const;
export type BalancePolicy = (typeof BALANCE_POLICIES)[number];

export const BalanceSchema = z
  .enum(BALANCE_POLICIES, { error: 'must be "round-robin", "least-connections" or "first-available"' })
  .describe(
    'How requests are spread over several targets: "round-robin" (in turn), "least-connections" (the one with the fewest requests in flight) or "first-available" (the first target that is up; the others are for failover).',
  );

const STATUS_MESSAGE = 'must be a status code such as 200 or a class such as "2xx"';

export const ExpectStatusSchema = z
  .union([z.number().int().min(100, STATUS_MESSAGE).max(599, STATUS_MESSAGE), z.string().regex(/^[1-5]xx$/, STATUS_MESSAGE)], {
    error: STATUS_MESSAGE,
  })
  .describe('The status a healthy target answers the check with: a code such as 200 or a class such as "2xx".');

export const HealthCheckSchema = z
  .object({
    path: z
      .string()
      .refine((p) => p.startsWith('/') && !/\s/.test(p), { message: 'must start with "/" and contain no spaces (e.g. "/health")' })
      .describe('The path asked on each target, e.g. "/health".'),
    intervalMs: z.number().int().min(100, 'must be at least 100 (milliseconds)').default(5_000).describe('Milliseconds between two checks of a target.'),
    timeoutMs: z.number().int().positive().default(2_000).describe('Milliseconds a check may take before it counts as failed.'),
    expectStatus: ExpectStatusSchema.default('2xx'),
  })
  .strict()
  .describe("Ask each of the route's targets for a path at an interval; a target that fails it is down until it passes again.");

export type HealthCheck = z.output<typeof HealthCheckSchema>;

/** One target's health as the UI shows it: a row per backend origin. */
export const TargetHealthSchema = z.object({
  /** The backend origin, e.g. "http://127.0.0.1:3000". */
  target: z.string(),
  /** Hosts of the enabled routes that send traffic there. */
  routes: z.array(z.string()),
  up: z.boolean(),
  /** Milliseconds since the epoch of the last change between up and down (absent: never changed). */
  since: z.number().optional(),
  lastError: z.string().optional(),
  /** When lastError happened, milliseconds since the epoch. */
  lastErrorAt: z.number().optional(),
  /** Requests in flight; counted on routes with several targets only (one target needs no count). */
  activeRequests: z.number(),
  /** The active check's path, when a route sets one for this target. */
  check: z.string().optional(),
});

export type TargetHealth = z.output<typeof TargetHealthSchema>;
