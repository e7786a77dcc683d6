// Trust stores, the doctor and the hosts file, as the UI sees them. The commands that
// change a store are shown to the user before they run (they may ask for a password).
import { z } from 'zod';

export const StoreStatusSchema = z.object({
  state: z.enum(['trusted', 'not trusted', 'not present', 'unknown']),
  detail: z.string().optional(),
  fix: z.string().optional(),
});

export const StoreReportSchema = z.object({
  id: z.string(),
  group: z.enum(['system', 'nss']),
  label: z.string(),
  status: StoreStatusSchema,
  /** The exact command lines install / uninstall would run, as the user would type them. */
  installCommands: z.array(z.string()),
  uninstallCommands: z.array(z.string()),
});

export const TrustChangeSchema = z.object({
  id: z.string(),
  label: z.string(),
  ok: z.boolean(),
  /** Why it failed, in the words of the command that failed. */
  message: z.string().optional(),
  status: StoreStatusSchema,
});

export const DoctorReportSchema = z.object({
  stores: z.array(z.object({ id: z.string(), group: z.enum(['system', 'nss']), label: z.string(), status: StoreStatusSchema })),
  handshake: z.object({
    host: z.string(),
    ok: z.boolean(),
    code: z.string().optional(),
    message: z.string().optional(),
    against: z.string(),
    fix: z.string().optional(),
  }),
  browsers: z.array(z.object({ browser: z.string(), trusts: z.enum(['yes', 'no', 'unknown']), why: z.string(), fix: z.string().optional() })),
  node: StoreStatusSchema,
  problems: z.number().int(),
});

export const HostsStatusSchema = z.object({
  file: z.string(),
  /** Names in Portico's block of the hosts file. */
  names: z.array(z.string()),
  /** Route hosts outside *.localhost that browsers cannot resolve without the block. */
  missing: z.array(z.string()),
});

export const TrustSelectionSchema = z
  .object({ only: z.array(z.string()).optional() })
  .strict()
  .optional();

export type StoreReport = z.infer<typeof StoreReportSchema>;
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
