// Traffic rules: global, ordered, first match wins. A rule can only answer, delay, fail or
// pause a request — never send it anywhere a route does not already go. The config's
// `rules`, the rules.* and breakpoints.* commands, the breakpoint events and the UI's
// editor all use these names.
import { z } from 'zod';

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return `is not a regular expression: ${(error as Error).message}`;
  }
}

/** A header or query parameter the request must carry (with this value, when one is given). */
const NamedValueSchema = z
  .object({
    name: z.string().min(1, 'must name the header or parameter'),
    value: z.string().optional().describe('Exact value; omitted: any value, as long as it is there.'),
  })
  .strict();

export const RuleMatchSchema = z
  .object({
    host: z
      .string()
      .trim()
      .toLowerCase()
      .regex(HOST_PATTERN, 'must be a host name like "shop.localhost" or a wildcard like "*.shop.localhost"')
      .optional()
      .describe('Exact host or "*.wildcard"; omitted: every host a route serves.'),
    pathPrefix: z.string().startsWith('/', 'must start with "/"').optional().describe('Segment-boundary prefix: "/api" matches /api and /api/cart, not /apix.'),
    pathRegex: z
      .string()
      .superRefine((source, ctx) => {
        const problem = regexProblem(source);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe('A JavaScript regular expression tested against the path and query.'),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET')
      .transform((m) => m.toUpperCase())
      .optional(),
    header: NamedValueSchema.optional(),
    query: NamedValueSchema.optional(),
  })
  .strict();

export const RespondSchema = z
  .object({
    status: z.number().int().min(200, 'must be a final status (200–599)').max(599).default(200),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional().describe('The body as text (JSON is text too).'),
    json: z.unknown().optional().describe('A JSON value, sent serialised with content-type application/json.'),
    file: z
      .string()
      .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path')
      .optional()
      .describe('A local file, read again on each request (editing it shows at once).'),
  })
  .strict()
  .refine((r) => [r.body, r.json, r.file].filter((x) => x !== undefined).length <= 1, 'give at most one of "body", "json" and "file"');

export const FailSchema = z.union([
  z.literal('reset').describe('Cut the connection (HTTP/2: reset the stream).'),
  z.literal('timeout').describe('Never answer; the client gives up.'),
  z
    .object({ status: z.number().int().min(400).max(599) })
    .strict()
    .describe("Portico's error page with this status."),
]);

export const BreakpointPhaseSchema = z.enum(['request', 'response', 'both']);

export const RuleActionSchema = z.union([
  z.object({ respond: RespondSchema }).strict(),
  z.object({ delay: z.object({ ms: z.number().int().min(0).max(600_000) }).strict() }).strict(),
  z.object({ fail: FailSchema }).strict(),
  z.object({ breakpoint: BreakpointPhaseSchema }).strict(),
]);

export const RuleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, ".", "_" and "-"')
      .min(1)
      .max(64)
      .describe('Stable name for commands and marks ("cart-500").'),
    name: z.string().max(200).optional().describe('Shown in marks and the Rules view; the id when omitted.'),
    enabled: z.boolean().default(true),
    match: RuleMatchSchema.default({}),
    action: RuleActionSchema,
  })
  .strict();

export const RulesSchema = z
  .array(RuleSchema)
  .default([])
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `repeats the id "${rule.id}" of an earlier rule` });
      seen.add(rule.id);
    });
  })
  .describe('Traffic rules, in order: the first enabled rule that matches a request acts on it.');

/** What rules.create takes: a rule whose id may be left to the service. */
export const NewRuleSchema = RuleSchema.extend({ id: RuleSchema.shape.id.optional() });

/** The phase an exchange is paused in. */
export const PausePhaseSchema = z.enum(['request', 'response']);

/** A paused exchange, with what can be edited before it goes on. */
export const PausedSchema = z.object({
  id: z.string(),
  phase: PausePhaseSchema,
  rule: z.string(),
  /** The captured exchange's id, when capture records it. */
  exchangeId: z.string().optional(),
  /** Epoch milliseconds. */
  pausedAt: z.number(),
  /** When it resumes by itself, unchanged (epoch milliseconds). */
  resumesAt: z.number(),
  scheme: z.enum(['http', 'https']),
  host: z.string(),
  method: z.string(),
  /** Path and query. */
  url: z.string(),
  /** Request headers in the request phase, response headers in the response phase. */
  headers: z.array(z.tuple([z.string(), z.string()])),
  /** The response's status (response phase only). */
  status: z.number().int().optional(),
  /** Base64; the bytes as they are (see `encoding`). */
  body: z.string(),
  /** The body's content-encoding (gzip…): an edited body is sent without it. */
  encoding: z.string().optional(),
  /** What can be changed in this phase. */
  editable: z.array(z.enum(['method', 'url', 'headers', 'body', 'status'])),
});

/** Header pairs HTTP can carry: a token for a name, no line breaks in a value. */
export const EditedHeadersSchema = z.array(
  z.tuple([
    z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "must be a header name (letters, digits and !#$%&'*+-.^_`|~)"),
    z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'must be one line of text'),
  ]),
);

export const BreakpointEditsSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Z]+$/, 'must be an HTTP method such as GET')
      .optional(),
    /** Path and query; the host and route stay the same. */
    url: z
      .string()
      .regex(/^\/(?!\/)[\x21-\x7e]*$/, 'must be a path and query starting with one "/" (no spaces: percent-encode them)')
      .optional(),
    headers: EditedHeadersSchema.optional(),
    /** Base64. */
    body: z.string().optional(),
    status: z.number().int().min(200, 'must be a final status (200–599)').max(599).optional(),
  })
  .strict();

export const ResumeOutcomeSchema = z.enum(['resumed', 'edited', 'aborted', 'timed out', 'cancelled']);

export const BreakpointResumedSchema = z.object({ id: z.string(), exchangeId: z.string().optional(), outcome: ResumeOutcomeSchema });

export type Rule = z.output<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;
/** A rule as rules.create takes it (the id may be left out). */
export type NewRuleInput = z.input<typeof NewRuleSchema>;
export type RuleMatch = z.output<typeof RuleMatchSchema>;
export type RuleAction = z.output<typeof RuleActionSchema>;
export type RespondAction = z.output<typeof RespondSchema>;
export type Paused = z.output<typeof PausedSchema>;
export type PausePhase = z.output<typeof PausePhaseSchema>;
export type BreakpointEdits = z.output<typeof BreakpointEditsSchema>;
export type ResumeOutcome = z.output<typeof ResumeOutcomeSchema>;
export type BreakpointResumed = z.output<typeof BreakpointResumedSchema>;

/** A rule's name in marks and lists. */
export const ruleLabel = (rule: Pick<Rule, 'id' | 'name'>): string => rule.name ?? rule.id;

/** The action's key: respond, delay, fail or breakpoint. */
export function actionKind(action: RuleAction): 'respond' | 'delay' | 'fail' | 'breakpoint' {
  if ('respond' in action) return 'respond';
  if ('delay' in action) return 'delay';
  if ('fail' in action) return 'fail';
  return 'breakpoint';
}

/** Default for a pause nobody resumes: it goes on unchanged after this long. */
export const BREAKPOINT_TIMEOUT_MS = 5 * 60_000;
