// The config file's schema: written once, imported by the engine, the CLI, the control
// service and the renderer. No Node imports here, so the renderer may use it too.
// Messages are written for the person editing the file: proxy-core/config prefixes each
// with the field path and appends the value they wrote, so a message says only what is
// wanted (and, where we can tell, the exact fix).
import { z } from 'zod';
import { BalanceSchema, HealthCheckSchema } from './balance.js';
import { CaSchema, DEFAULT_SUFFIXES, outsideSuffixesMessage, withinSuffixes } from './ca.js';
import { HeaderRulesSchema, RedirectSchema, RewriteSchema, ThrottleSchema } from './shaping.js';
import { AccessAuthSchema } from './access-auth.js';
import { FirewallSchema, FirewallSettingsSchema } from './firewall.js';
import { RulesSchema } from './rules.js';
import { LAN_DEFAULTS, LanSettingsSchema, ShareSchema, shareProblem } from './lan.js';

/** `shop.localhost` or `*.shop.localhost`: DNS labels, lower-cased, no port, no scheme. */
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const HOST_MESSAGE = 'must be a host name like "shop.localhost" or a wildcard like "*.shop.localhost" (letters, digits, "-" and ".")';

/**
 * Why `host` is not a host pattern, in words that name the fix. People paste URLs
 * ("http://shop.localhost:3000/"), so we spot the scheme, port and path and suggest
 * the bare name rather than only quoting the pattern.
 */
function hostProblem(host: string): string | undefined {
  if (HOST_PATTERN.test(host)) return undefined;
  if (host === '') return 'must not be empty: give a host name like "shop.localhost"';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(host)?.[0] ?? '';
  let rest = host.slice(scheme.length);
  const pathAt = rest.search(/[/?#]/);
  const path = pathAt >= 0 ? rest.slice(pathAt) : '';
  rest = pathAt >= 0 ? rest.slice(0, pathAt) : rest;
  const port = /:\d*$/.exec(rest)?.[0] ?? '';
  const bare = rest.slice(0, rest.length - port.length).replace(/\.$/, '');
  const extras = [scheme && 'a scheme', port && 'a port', path && 'a path'].filter(Boolean);
  if (extras.length > 0 && HOST_PATTERN.test(bare)) {
    const list = extras.length === 1 ? extras[0] : `${extras.slice(0, -1).join(', ')} or ${extras.at(-1)}`;
    // The port hint matters: people expect "shop.localhost:3000" to pick the backend port.
    const why = port ? ' (a route matches its host on every port; the backend port goes in "target")' : '';
    return `must be a bare host name without ${list}${why}: write "${bare}"`;
  }
  if (host.includes('*') && !/^\*\.[^*]+$/.test(host)) {
    return 'may only use "*" as the whole first label, like "*.shop.localhost"';
  }
  return HOST_MESSAGE;
}

export const HostPatternSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((host) => host.replace(/\.$/, ''))
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('The dev host name this route answers, e.g. "shop.localhost", or a wildcard such as "*.shop.localhost". Case-insensitive; no scheme, no port.');

const TARGET_MESSAGE = 'must be an http:// or https:// URL such as "http://127.0.0.1:3000"';

function targetProblem(value: string): string | undefined {
  if (URL.canParse(value)) {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      if (url.hostname === '') return TARGET_MESSAGE;
      if (url.username || url.password) return 'must not contain a user name or password';
      return undefined;
    }
  }
  // "localhost:3000" and "127.0.0.1:3000" are the usual slips: offer the URL they meant.
  if (/^[^\s/:]+:\d+(\/|$)/.test(value) && URL.canParse(`http://${value}`)) {
    return `${TARGET_MESSAGE}: write "http://${value}"`;
  }
  return TARGET_MESSAGE;
}

export const TargetUrlSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = targetProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('A backend URL, e.g. "http://127.0.0.1:3000".');

export const PathPrefixSchema = z
  .string()
  .refine((p) => p.startsWith('/') && !/[\s?#]/.test(p), {
    message: 'must start with "/" and contain no spaces, "?" or "#" (e.g. "/api")',
  })
  // "/api/" and "/api" mean the same prefix; "/" means every path.
  .transform((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p))
  .describe('Only requests whose path starts with this prefix use the route, e.g. "/api". The longest matching prefix wins.');

/** Encoders Portico can apply; zstd only where the runtime has it (Node ≥ 22.15 / 23.8). */
export const ENCODINGS = ['br', 'zstd', 'gzip'] as const;
export type ContentEncoding = (typeof ENCODINGS)[number];

export const CompressionOptionsSchema = z
  .object({
    threshold: z
      .number({ error: 'must be a number of bytes, such as 1024' })
      .int('must be a whole number of bytes')
      .nonnegative('must be 0 or more bytes')
      .default(1024)
      .describe('Responses whose Content-Length is below this many bytes go out as they are (framing would eat the gain).'),
    encodings: z
      .array(z.enum(ENCODINGS))
      .min(1, 'needs at least one of "br", "zstd", "gzip"')
      .default([...ENCODINGS])
      .describe('Encoders to offer, preferred first when the client rates several equally.'),
  })
  .strict();

export const CompressionSchema = z
  .union([z.boolean(), CompressionOptionsSchema])
  .describe('Compress responses the backend sent unencoded (brotli, zstd, gzip): true, false, or options.');

export const CacheOptionsSchema = z
  .object({
    xCache: z.boolean().default(true).describe('Add an X-Cache header (HIT, MISS, STALE, REVALIDATED, BYPASS) to responses.'),
    devSeconds: z
      .number({ error: 'must be a number of seconds, such as 60' })
      .int('must be a whole number of seconds')
      .positive('must be at least 1 (second)')
      .optional()
      .describe(
        'Dev mode: also keep 200 responses that say nothing about caching (no Cache-Control, no Expires) for this many seconds. A real shared cache would not; the stored copy is not marked cacheable for the browser.',
      ),
    targets: z
      .array(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a header field name, such as "CDN-Cache-Control"'))
      .default(['CDN-Cache-Control'])
      .describe(
        'Targeted cache-control fields (RFC 9213) this cache obeys, first listed first: the first one present with a valid value decides instead of Cache-Control and Expires. [] ignores them all.',
      ),
  })
  .strict();

export const CacheStoreSchema = z
  .object({
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024)
      .describe('Memory for stored responses (headers and bodies); the least recently used go first.'),
    maxEntryBytes: z
      .number()
      .int()
      .positive()
      .default(8 * 1024 * 1024)
      .describe('Bodies larger than this are passed through, never stored.'),
  })
  .strict();

export const CacheSchema = z
  .union([z.boolean(), CacheOptionsSchema])
  .describe('An RFC 9111 shared cache in front of the route (in memory): true, false, or options.');

export const RouteSchema = z
  .object({
    id: z.string().min(1).optional().describe('A stable id for the route (the app assigns one).'),
    host: HostPatternSchema,
    pathPrefix: PathPrefixSchema.optional(),
    target: TargetUrlSchema.optional().describe('The backend URL, e.g. "http://127.0.0.1:3000". Give this or "targets".'),
    targets: z.array(TargetUrlSchema).min(1, 'needs at least one URL').optional().describe('Several backend URLs sharing the load. Give this or "target".'),
    enabled: z.boolean().default(true).describe('Set to false to keep the route but stop serving it.'),
    https: z.enum(['both', 'redirect', 'off']).default('both').describe('"both": HTTP and HTTPS; "redirect": HTTP answers 308 to HTTPS; "off": HTTP only.'),
    /** Send the target's host as `Host` instead of the dev host (some backends insist). */
    changeOrigin: z.boolean().default(false).describe("Send the target's host as the Host header instead of the dev host (some backends insist)."),
    trustForwarded: z
      .boolean()
      .optional()
      .describe(
        'Keep the X-Forwarded-For, X-Real-IP and Forwarded headers the client sent and append to them: only for a route behind another proxy you run. Without it Portico is the edge and replaces them with the address it saw.',
      ),
    compression: CompressionSchema.optional().describe('Compress responses for this route; without it, settings.defaults.compression applies.'),
    cache: CacheSchema.optional().describe('Cache responses for this route; without it, settings.defaults.cache applies.'),
    balance: BalanceSchema.optional().describe('How "targets" share the requests; without it, settings.defaults.balance applies (else "round-robin").'),
    healthCheck: HealthCheckSchema.optional(),
    throttle: ThrottleSchema.optional().describe('Throttle this route; without it, settings.defaults.throttle applies.'),
    headers: HeaderRulesSchema.optional().describe('Header rules for this route; without them, settings.defaults.headers apply.'),
    rewrite: RewriteSchema.optional(),
    redirect: RedirectSchema.optional(),
    auth: AccessAuthSchema.optional(),
    firewall: FirewallSchema.optional().describe(
      'Client allow-list, rate limit, body size and denied paths for this route; each field given replaces the one in settings.defaults.firewall.',
    ),
    share: ShareSchema.optional(),
  })
  .strict()
  // Exactly one of target, targets, redirect: with two, which one wins would be a guess.
  .superRefine((r, ctx) => {
    const notShareable = shareProblem(r);
    if (notShareable) ctx.addIssue({ code: 'custom', path: ['share'], message: notShareable });
    if (r.target === undefined && r.targets === undefined && r.redirect === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: 'is required: give "target" (a URL), "targets" (a list of URLs) or "redirect"',
      });
    } else if (r.target !== undefined && r.targets !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['targets'],
        message: 'cannot be used together with "target": keep "target" for one URL or "targets" for several',
      });
    } else if (r.redirect !== undefined && (r.target !== undefined || r.targets !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['redirect'],
        message: `cannot be used together with "${r.target !== undefined ? 'target' : 'targets'}": a route either redirects or proxies`,
      });
    }
  });

const PORT_MESSAGE = 'must be a whole number from 0 to 65535 (0 picks a free port)';
const PortSchema = z.number().int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);

export const ListenerSchema = z
  .object({
    port: PortSchema.describe('Port to listen on; 0 picks a free port.'),
    /** Address to bind. Loopback by default: LAN sharing is an explicit choice. */
    host: z.string().default('127.0.0.1').describe('Address to bind. Loopback by default: LAN sharing is an explicit choice.'),
  })
  .strict();

export const TimeoutsSchema = z
  .object({
    /** How long to wait for a backend to accept the TCP connection. */
    connectMs: z.number().int().positive().default(5_000).describe('Milliseconds to wait for a backend to accept the TCP connection.'),
    /** How long to wait for a backend's response headers once the request is sent. */
    responseMs: z.number().int().positive().default(120_000).describe("Milliseconds to wait for a backend's response headers once the request is sent."),
  })
  .strict();

export const CaptureSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Record exchanges for the traffic inspector. Off costs nothing.'),
    maxExchanges: z.number().int().positive().default(50_000).describe('Keep at most this many exchanges; the oldest go first.'),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 1024 * 1024)
      .describe('Keep at most this many bytes of headers and bodies; the oldest exchanges go first.'),
    bodyLimit: z
      .number()
      .int()
      .nonnegative()
      .default(1024 * 1024)
      .describe('Bytes kept of each body; the rest is counted, not kept.'),
    wsMessageLimit: z.number().int().nonnegative().default(1_000).describe('WebSocket messages kept per connection.'),
    ignore: z
      .array(z.object({ host: HostPatternSchema, pathPrefix: PathPrefixSchema.optional() }).strict())
      .default([])
      .describe('Hosts (and optional path prefixes) never to record, e.g. a noisy health check.'),
  })
  .strict();

const CAPTURE_DEFAULTS = CaptureSettingsSchema.parse({});

/** What a route without its own switch gets. */
export const RouteDefaultsSchema = z
  .object({
    compression: CompressionSchema.default(false),
    cache: CacheSchema.default(false),
    balance: BalanceSchema.optional(),
    throttle: ThrottleSchema.default(false),
    headers: HeaderRulesSchema.optional(),
    firewall: FirewallSchema.optional().describe("Firewall fields for every route; a route's own firewall fields replace these one by one."),
  })
  .strict();

/** Everything in the config but the routes: what settings.get / settings.set carry. */
export const SettingsSchema = z
  .object({
    http: ListenerSchema.default({ port: 80, host: '127.0.0.1' }).describe('The plain-HTTP listener.'),
    https: ListenerSchema.default({ port: 443, host: '127.0.0.1' }).describe('The HTTPS listener.'),
    timeouts: TimeoutsSchema.default({ connectMs: 5_000, responseMs: 120_000 }).describe('Backend timeouts.'),
    ca: CaSchema.default({ suffixes: [...DEFAULT_SUFFIXES] }).describe("The local certificate authority's scope."),
    capture: CaptureSettingsSchema.default(CAPTURE_DEFAULTS).describe('The traffic inspector.'),
    defaults: RouteDefaultsSchema.default({ compression: false, cache: false, throttle: false }).describe(
      'Per-route switches for routes that do not set their own.',
    ),
    cacheStore: CacheStoreSchema.default(CacheStoreSchema.parse({})).describe("The response cache's memory, shared by every route with the cache on."),
    firewall: FirewallSettingsSchema.default(FirewallSettingsSchema.parse({})).describe(
      'Limits every listener enforces while reading a request (header size, slow clients).',
    ),
    lan: LanSettingsSchema.default(LAN_DEFAULTS).describe('LAN sharing: serve the routes marked "share" to other devices on your network.'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    ...SettingsSchema.shape,
    routes: z
      .array(RouteSchema)
      .default([])
      .superRefine((routes, ctx) => {
        // Two enabled routes for the same host and prefix would compete for the same
        // requests; a disabled twin is fine (a switch between two backends).
        const seen = new Map<string, number>();
        routes.forEach((route, i) => {
          if (!route.enabled) return;
          const key = `${route.host} ${route.pathPrefix ?? '/'}`;
          const first = seen.get(key);
          if (first === undefined) return void seen.set(key, i);
          ctx.addIssue({
            code: 'custom',
            path: [i, 'host'],
            message: `repeats the host and path prefix of routes[${first}] ("${route.host}${route.pathPrefix ?? ''}"): merge their targets into one route or disable one`,
          });
        });
      })
      .describe('Dev hosts and where they go. The most specific host wins, then the longest pathPrefix.'),
    rules: RulesSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    // Every route must be one the local CA can vouch for, or HTTPS could never work there.
    config.routes.forEach((route, i) => {
      // A malformed host already has its own message; one problem per field is enough.
      if (HOST_PATTERN.test(route.host) && !withinSuffixes(route.host, config.ca.suffixes)) {
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'host'], message: outsideSuffixesMessage(route.host) });
      }
    });
  })
  .describe('Portico config file');

/** What the user writes (defaults optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** What the engine runs (defaults filled, hosts normalised). */
export type Config = z.output<typeof ConfigSchema>;
export type Route = z.output<typeof RouteSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type SettingsInput = z.input<typeof SettingsSchema>;
export type CaptureSettings = z.output<typeof CaptureSettingsSchema>;
export type CompressionOptions = z.output<typeof CompressionOptionsSchema>;
export type CacheOptions = z.output<typeof CacheOptionsSchema>;
export type CacheStoreLimits = z.output<typeof CacheStoreSchema>;
export type RouteInput = z.input<typeof RouteSchema>;

/** The route's targets, whichever of `target` / `targets` the user wrote. */
export function routeTargets(route: Pick<Route, 'target' | 'targets'>): string[] {
  return route.targets ?? (route.target !== undefined ? [route.target] : []);
}
