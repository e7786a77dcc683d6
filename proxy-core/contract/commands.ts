// The control service's commands: name → input and output schemas. Written once; the
// service implements them, the IPC adapter and the control server expose them, the
// renderer's client calls them. Every input is parsed with its schema at the boundary.
import { z } from 'zod';
import { TargetHealthSchema } from './balance.js';
import { RouteSchema, SettingsSchema } from './config.js';
import { BreakpointEditsSchema, NewRuleSchema, PausedSchema, RuleSchema } from './rules.js';
import { RouteStatsSchema } from './route-stats.js';
import { SettingsPatchSchema } from './settings-patch.js';
import { userNameProblem } from './access-auth.js';
import { LanSetSchema, LanStatusSchema } from './lan.js';
import { ProcessAddSchema, ProcessRouteSchema } from './processes.js';
import { BodyPartSchema, CapturedBodySchema, ExchangeSchema, ExchangeSummarySchema, WsMessageSchema } from './exchange.js';
import { DoctorReportSchema, HostsStatusSchema, StoreReportSchema, TrustChangeSchema, TrustSelectionSchema } from './trust.js';

const None = z.undefined();
const Id = z.object({ id: z.string().min(1) }).strict();
const User = z.string().superRefine((user, ctx) => {
  const problem = userNameProblem(user);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where the engine listens right now (ports may differ from the config: 0, fallbacks). */
export const StatusSchema = z.object({
  version: z.string(),
  http: z.object({ host: z.string(), port: z.number() }),
  https: z.object({ host: z.string(), port: z.number() }).optional(),
  dataDir: z.string(),
  configFile: z.string(),
  capture: z.object({ enabled: z.boolean(), paused: z.boolean(), exchanges: z.number(), bytes: z.number() }),
  /** Set when the config file was not JSON at start: where it was moved, and why. */
  configSetAside: z.object({ file: z.string(), reason: z.string() }).optional(),
});

export const CaInfoSchema = z.object({
  subject: z.string(),
  fingerprintSha256: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  permitted: z.array(z.string()),
  signature: z.string(),
  files: z.object({ cert: z.string(), key: z.string() }),
  retired: z.array(z.object({ file: z.string(), fingerprintSha256: z.string(), subject: z.string() })),
  /** The root as PEM, to copy or save. */
  certPem: z.string(),
});

/** A HAR 1.2 document; its inner shape is checked by the HAR importer, not here. */
export const HarSchema = z.object({ log: z.object({ version: z.string(), entries: z.array(z.unknown()) }).passthrough() }).passthrough();

export const ReplayEditsSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Z]+$/, 'must be an HTTP method such as GET')
      .optional(),
    /** Path and query; the host stays the exchange's. */
    url: z.string().startsWith('/').optional(),
    headers: z.array(z.tuple([z.string(), z.string()])).optional(),
    /** Base64. */
    body: z.string().optional(),
  })
  .strict();

export const commands = {
  status: { input: None, output: StatusSchema },
  'routes.list': { input: None, output: z.array(RouteSchema) },
  'routes.create': { input: RouteSchema, output: RouteSchema },
  'routes.update': { input: z.object({ id: z.string().min(1), route: RouteSchema }).strict(), output: RouteSchema },
  'routes.delete': { input: Id, output: RouteSchema },
  'routes.toggle': { input: z.object({ id: z.string().min(1), enabled: z.boolean() }).strict(), output: RouteSchema },
  /** Cache hits/misses and bytes saved per route in force, for routes that had a switch on. */
  'routes.stats': { input: None, output: z.array(RouteStatsSchema) },
  /** Sets a Basic-auth user's password (switching auth on); the service hashes it, so no client ever makes a hash. */
  'routes.setPassword': {
    input: z.object({ id: z.string().min(1), user: User, password: z.string().min(1, 'must not be empty').max(1024) }).strict(),
    output: RouteSchema,
  },
  /** Removes a Basic-auth user; auth stays on (with no users left, nobody gets in). */
  'routes.deletePassword': { input: z.object({ id: z.string().min(1), user: User }).strict(), output: RouteSchema },
  'settings.get': { input: None, output: SettingsSchema },
  'settings.set': { input: SettingsPatchSchema, output: SettingsSchema },
  'ca.info': { input: None, output: CaInfoSchema },
  'trust.status': { input: None, output: z.array(StoreReportSchema) },
  'trust.install': { input: TrustSelectionSchema, output: z.array(TrustChangeSchema) },
  'trust.uninstall': { input: TrustSelectionSchema, output: z.array(TrustChangeSchema) },
  doctor: { input: None, output: DoctorReportSchema },
  'hosts.status': { input: None, output: HostsStatusSchema },
  /** Puts exactly these names in Portico's hosts-file block (elevated once if needed). */
  'hosts.set': { input: z.object({ names: z.array(z.string()) }).strict(), output: HostsStatusSchema },
  /** The list's view: summaries, without header lists (traffic.get has the whole exchange). */
  'traffic.list': { input: z.object({ limit: z.number().int().positive().optional() }).strict().optional(), output: z.array(ExchangeSummarySchema) },
  /**
   * Ids of stored exchanges whose URL, marks or (with headers, the default) header names and
   * values contain text, case-insensitively: the part of the text filter the renderer cannot
   * evaluate on summaries. Rows that arrive later are matched by the renderer on their URL
   * and marks, and by asking again for their ids (see ARCHITECTURE.md). With
   * `headersAlone`, exchanges whose URL or marks hold the text are left out: the renderer
   * matches those itself, and a URL fragment would otherwise name nearly every row.
   */
  'traffic.search': {
    input: z.object({ text: z.string(), headers: z.boolean().optional(), headersAlone: z.boolean().optional(), ids: z.array(z.string()).optional() }).strict(),
    output: z.object({ ids: z.array(z.string()) }),
  },
  'traffic.get': { input: Id, output: ExchangeSchema },
  'traffic.body': { input: z.object({ id: z.string(), part: BodyPartSchema }).strict(), output: CapturedBodySchema },
  'traffic.messages': { input: Id, output: z.array(WsMessageSchema) },
  /**
   * Everything, or with `through` only that exchange and the ones recorded before it (what a
   * window showed when its Clear was pressed: rows that came later stay). The partial form
   * reports its rows as evicted in the `traffic` event, not as `traffic.cleared`.
   */
  'traffic.clear': {
    input: z
      .object({ through: z.string().max(64).optional() })
      .strict()
      .optional(),
    output: z.object({ cleared: z.number() }),
  },
  'traffic.pause': { input: z.object({ paused: z.boolean() }).strict(), output: z.object({ paused: z.boolean() }) },
  /** Sanitized (credentials replaced, see capture/har-sanitize.ts) unless `sensitive` is true. */
  'traffic.exportHar': {
    input: z
      .object({
        ids: z.array(z.string()).optional(),
        sensitive: z.boolean().optional().describe('true: headers, cookies and URLs as captured, credentials included'),
      })
      .strict()
      .optional(),
    output: HarSchema,
  },
  'traffic.importHar': { input: HarSchema, output: z.object({ imported: z.number() }) },
  /** Drops stored responses: all of them, one route's (by id) and/or one URL's ("https://shop.localhost/a?b"). */
  'cache.purge': {
    input: z
      .object({ route: z.string().min(1).optional(), url: z.string().min(1).optional() })
      .strict()
      .optional(),
    output: z.object({ purged: z.number() }),
  },
  /** Every target of the enabled routes: up or down, since when, the last error, requests in flight. */
  'health.list': { input: None, output: z.array(TargetHealthSchema) },
  /** Where the shared routes are reachable from other devices, with the token link and its QR code. */
  'lan.status': { input: None, output: LanStatusSchema },
  /** Switches LAN sharing on or off (saved in settings.lan) and answers with the new status. */
  'lan.set': { input: LanSetSchema, output: LanStatusSchema },
  /** Routes owned by running processes (`portico run`), newest last. */
  'processes.list': { input: None, output: z.array(ProcessRouteSchema) },
  /** Adds a process's route; a host taken by another live process is a 409 unless `force`. */
  'processes.add': { input: ProcessAddSchema, output: ProcessRouteSchema },
  /** Removes a process's route (its owner exited); removing one already gone is not an error. */
  'processes.remove': { input: Id, output: z.object({ removed: z.boolean() }) },
  /** Asks the owning `portico run`, over the request it holds, to stop its command (as on SIGTERM). */
  'processes.stop': { input: Id, output: ProcessRouteSchema },
  'traffic.replay': {
    input: z.object({ id: z.string(), edits: ReplayEditsSchema.optional() }).strict(),
    output: z.object({ status: z.number(), exchangeId: z.string().optional() }),
  },
  /** The traffic rules in order (the first enabled one that matches acts). */
  'rules.list': { input: None, output: z.array(RuleSchema) },
  /** Adds a rule at the end (or at `index`); without an id it gets one. */
  'rules.create': { input: z.object({ rule: NewRuleSchema, index: z.number().int().nonnegative().optional() }).strict(), output: RuleSchema },
  'rules.update': { input: z.object({ id: z.string().min(1), rule: RuleSchema }).strict(), output: RuleSchema },
  'rules.delete': { input: Id, output: RuleSchema },
  /** Moves a rule to position `index` (0 = first); answers with the new order. */
  'rules.move': { input: z.object({ id: z.string().min(1), index: z.number().int().nonnegative() }).strict(), output: z.array(RuleSchema) },
  /** Exchanges paused at a breakpoint, with what can be edited. */
  'breakpoints.list': { input: None, output: z.array(PausedSchema) },
  /** Lets a paused exchange go on, as it is or with `edits`; `resumed: false` when it had gone on already. */
  'breakpoints.resume': {
    input: z.object({ id: z.string().min(1), edits: BreakpointEditsSchema.optional() }).strict(),
    output: z.object({ resumed: z.boolean() }),
  },
  /** Ends a paused exchange: the client's connection is cut, the backend never sees a paused request. */
  'breakpoints.abort': { input: Id, output: z.object({ aborted: z.boolean() }) },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
/** The input after parsing (defaults filled): what a command's implementation receives. */
export type CommandArgs<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

/** An error reply: a message for people and, for invalid input, the field problems. */
export const CommandErrorSchema = z.object({ message: z.string(), issues: z.array(z.string()).optional() });
export type CommandError = z.infer<typeof CommandErrorSchema>;

/** How every transport answers a command: the IPC adapter and the control server alike. */
export type CommandReply<T = unknown> = { ok: true; result: T } | { ok: false; error: CommandError };

/** The WebSocket protocol of the control server: requests carry an id, replies echo it. */
export type WireRequest = { id: number; method: CommandName; params?: unknown };
export type WireMessage = ({ id: number } & CommandReply) | { event: string; data: unknown };
