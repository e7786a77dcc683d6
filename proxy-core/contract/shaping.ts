// Route options that reshape traffic rather than choose where it goes: throttling, header
// rules, URL rewrites, and redirect routes. Kept apart from config.ts, which imports them.
// No Node imports here (the renderer uses the contract too).
import { z } from 'zod';

/**
 * The presets, with Chrome DevTools' numbers (ChromeDevTools/devtools-frontend,
 * front_end/core/sdk/NetworkManager.ts): "Slow 3G" (now shown as "3G") is 500 kbit/s × 0.8
 * both ways with 400 ms × 5 latency; "Fast 3G" (renamed "Slow 4G" in 2024) is
 * 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up, 150 ms × 3.75 latency. kbit = 1000 bits.
 */
export const THROTTLE_PROFILES = {
  'slow-3g': { latencyMs: 2000, downKbps: 400, upKbps: 400 },
  'fast-3g': { latencyMs: 562.5, downKbps: 1440, upKbps: 675 },
} as const;
export type ThrottleProfileName = keyof typeof THROTTLE_PROFILES;

export const ThrottleCustomSchema = z
  .object({
    latencyMs: z
      .number()
      .nonnegative('must be 0 or more milliseconds')
      .default(0)
      .describe('Milliseconds added before each request goes on (and before a WebSocket opens).'),
    downKbps: z
      .number()
      .positive('must be more than 0 kbit/s (leave it out for no limit)')
      .optional()
      .describe('Response bytes per second, in kbit/s (1 kbit = 1000 bits); no limit when left out.'),
    upKbps: z
      .number()
      .positive('must be more than 0 kbit/s (leave it out for no limit)')
      .optional()
      .describe('Request body bytes per second, in kbit/s; no limit when left out.'),
  })
  .strict();

export const ThrottleSchema = z
  .union([z.literal(false), z.enum(['slow-3g', 'fast-3g']), ThrottleCustomSchema], {
    error: 'must be false, "slow-3g", "fast-3g" or { "latencyMs": N, "downKbps": N, "upKbps": N }',
  })
  .describe('Slow the route down like a mobile network: "slow-3g", "fast-3g" (Chrome DevTools presets), custom numbers, or false.');

/** An HTTP field name (RFC 9110 token), kept lower-case as Node reports them. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** Framing is Portico's and Node's business: a rule that changed it would corrupt the message. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer']);

const HeaderNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((name, ctx) => {
    if (!TOKEN.test(name)) ctx.addIssue({ code: 'custom', message: 'must be a header name (letters, digits and "-", e.g. "x-request-id")' });
    else if (FRAMING.has(name)) ctx.addIssue({ code: 'custom', message: `cannot be changed by a rule: "${name}" frames the message, and Portico sets it` });
  });

const HeaderValueSchema = z.string().refine((v) => !/[\r\n\0]/.test(v), { message: 'must be one line (no line breaks)' });

const HeaderMapSchema = z.record(HeaderNameSchema, HeaderValueSchema);

export const HeaderRuleSetSchema = z
  .object({
    set: HeaderMapSchema.optional().describe('Headers to set, replacing any the message had: { "name": "value" }.'),
    add: HeaderMapSchema.optional().describe('Headers to add next to any the message had (another line of the same name).'),
    remove: z.array(HeaderNameSchema).optional().describe('Header names to remove.'),
  })
  .strict();

export const HeaderRulesSchema = z
  .object({
    hideBackend: z.boolean().default(false).describe('Remove Server and X-Powered-By from responses, so the backend does not announce itself.'),
    request: HeaderRuleSetSchema.optional().describe('Rules for the request on its way to the backend (remove, then set, then add).'),
    response: HeaderRuleSetSchema.optional().describe("Rules for the backend's response on its way to the client (remove, then set, then add)."),
  })
  .strict()
  .describe('Header rules for this route: hide the backend, and set/add/remove request and response headers.');

/** Compiles a user regex, or says why it cannot. */
function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
}

const PathPieceSchema = z.string().refine((p) => p.startsWith('/') && p.length > 1 && !/[\s?#]/.test(p), {
  message: 'must start with "/" and contain no spaces, "?" or "#" (e.g. "/api")',
});

export const RewriteSchema = z
  .object({
    stripPrefix: PathPieceSchema.transform((p) => p.replace(/\/+$/, ''))
      .optional()
      .describe('Remove this prefix from the path ("/api/users" → "/users").'),
    regex: z
      .array(
        z
          .object({
            match: z.string().superRefine((source, ctx) => {
              const problem = regexProblem(source);
              if (problem) ctx.addIssue({ code: 'custom', message: problem });
            }),
            replace: z.string().describe('The new path; $1, $2… insert the groups of "match".'),
          })
          .strict(),
      )
      .optional()
      .describe('Regex rewrites of the path (without the query); the first rule whose "match" fits is applied.'),
    addPrefix: PathPieceSchema.transform((p) => p.replace(/\/+$/, ''))
      .optional()
      .describe('Put this prefix in front of the path ("/users" → "/v1/users").'),
  })
  .strict()
  .describe('Rewrite the path before it goes to the backend: stripPrefix, then regex, then addPrefix. The query string is kept.');

export const REDIRECT_STATUSES = [301, 302, 307, 308] as const;

export const RedirectSchema = z
  .object({
    to: z
      .string()
      .trim()
      .refine((to) => to.startsWith('/') || ((to.startsWith('http://') || to.startsWith('https://')) && URL.canParse(to)), {
        message: 'must be an http:// or https:// URL, or a path starting with "/"',
      })
      .describe('Where to send the client, e.g. "https://new.localhost" or "/v2".'),
    status: z
      .literal(REDIRECT_STATUSES, { error: 'must be 301, 302, 307 or 308' })
      .default(302)
      .describe('301/308 permanent, 302/307 temporary; 307 and 308 keep the method and body.'),
    keepPath: z.boolean().default(false).describe('Append the rest of the path (after the route\'s pathPrefix) and the query to "to".'),
  })
  .strict()
  .describe('Answer every request with a redirect instead of proxying (give this instead of "target").');

export type Throttle = z.output<typeof ThrottleSchema>;
export type HeaderRules = z.output<typeof HeaderRulesSchema>;
export type HeaderRuleSet = z.output<typeof HeaderRuleSetSchema>;
export type Rewrite = z.output<typeof RewriteSchema>;
export type Redirect = z.output<typeof RedirectSchema>;
