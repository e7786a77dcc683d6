// The application firewall in the config. Per route (and as settings.defaults.firewall for
// routes that do not set their own): who may connect, how often, how big a body may be,
// which paths are off limits. Listener-wide limits (header size, slow clients) live in
// settings.firewall, since they apply before any route is known.
import { z } from 'zod';
import { parseCidr } from './cidr.js';

export const CidrSchema = z
  .string()
  .trim()
  .refine((c) => parseCidr(c) !== undefined, {
    message: 'must be an IP address or CIDR range such as "127.0.0.1", "192.168.0.0/16" or "fd00::/8"',
  });

export const RateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive('must be more than 0').describe('Sustained requests per second per client address.'),
    burst: z
      .number()
      .int()
      .positive('must be at least 1')
      .optional()
      .describe('Requests a client may make at once; requestsPerSecond (rounded up) when absent.'),
  })
  .strict();

export const PathDenySchema = z.union([
  z
    .string()
    .refine((p) => p.startsWith('/'), { message: 'must be a path prefix starting with "/" (e.g. "/admin"), or {"regex": "…"}' })
    .describe('A path prefix: "/admin" refuses /admin and /admin/…, not /administrator.'),
  z
    .object({
      regex: z.string().refine(
        (source) => {
          try {
            new RegExp(source);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be a valid JavaScript regular expression' },
      ),
    })
    .strict()
    .describe('A regular expression tested against the decoded path, e.g. "\\\\.(env|git)(/|$)".'),
]);

export const FirewallSchema = z
  .object({
    allow: z
      .array(CidrSchema)
      .min(1, 'needs at least one address or range (leave "allow" out to let every client in)')
      .optional()
      .describe('Only clients whose address is in one of these ranges get in; others get 403.'),
    rateLimit: z
      .union([z.literal(false), RateLimitSchema])
      .optional()
      .describe('A token bucket per client address; over it, 429 with Retry-After. false turns off a default.'),
    maxBodyBytes: z.number().int().nonnegative().optional().describe('Request bodies above this many bytes get 413.'),
    deny: z.array(PathDenySchema).optional().describe('Paths refused with 403: prefixes ("/admin") or {"regex": "…"}.'),
  })
  .strict();

/** Limits the listeners enforce while reading a request, before any route is known. */
export const FirewallSettingsSchema = z
  .object({
    maxHeaderBytes: z
      .number()
      .int()
      .min(1024, 'must be at least 1024')
      .default(16 * 1024)
      .describe('Request line plus headers may be at most this many bytes; more gets 431. Takes effect at start.'),
    headersTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .describe('A client must send its request headers within this many milliseconds; a slower one gets 408. Takes effect at start.'),
    requestTimeoutMs: z
      .number()
      .int()
      .nonnegative()
      .default(300_000)
      .describe('A client must send its whole request (headers and body) within this many milliseconds, or get 408; 0 means no limit. Takes effect at start.'),
  })
  .strict()
  // Node refuses to start a server whose headers may take longer than the whole request.
  .refine((f) => f.requestTimeoutMs === 0 || f.headersTimeoutMs <= f.requestTimeoutMs, {
    path: ['headersTimeoutMs'],
    message: 'must not be more than requestTimeoutMs (the headers are part of the request)',
  });

export type Firewall = z.output<typeof FirewallSchema>;
export type FirewallSettings = z.output<typeof FirewallSettingsSchema>;
