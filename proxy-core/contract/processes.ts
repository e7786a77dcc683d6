// Routes that belong to a running process (`portico run`): in force while it lives, never
// in the config file. The UI lists them beside the routes it edits, marked as such.
import { z } from 'zod';

export const ProcessRouteSchema = z.object({
  /** The id of the route in routes.list. */
  id: z.string(),
  host: z.string(),
  /** The loopback port the command was given. */
  port: z.number().int(),
  /** The command's process id (what the developer recognises in `ps`). */
  pid: z.number().int(),
  /** The `portico run` process that owns the route: when it is gone, so is the route. */
  ownerPid: z.number().int(),
  command: z.string(),
  cwd: z.string(),
  /** When the route was added (ISO 8601). */
  since: z.string(),
});
export type ProcessRoute = z.infer<typeof ProcessRouteSchema>;

export const ProcessAddSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    pid: z.number().int().positive(),
    ownerPid: z.number().int().positive(),
    command: z.string().max(4096),
    cwd: z.string().max(4096),
    /** Take the host over from another live process. */
    force: z.boolean().optional(),
  })
  .strict();
