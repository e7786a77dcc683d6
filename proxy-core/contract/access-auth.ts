// Access auth in the config: HTTP Basic users per route, each with a scrypt hash. The
// file never holds a password: `portico passwd` and the app's routes.setPassword write
// the hash, and a value that is not one is refused with the command to run.
import { z } from 'zod';

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url: self-describing, so costs can rise later. */
export const PASSWORD_HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

export const PasswordHashSchema = z
  .string()
  .superRefine((value, ctx) => {
    const m = PASSWORD_HASH_PATTERN.exec(value);
    const cost = m ? Number(m[1]) : 0;
    if (m && cost >= 2 && cost <= 2 ** 20 && (cost & (cost - 1)) === 0 && Number(m[2]) > 0 && Number(m[3]) > 0) return;
    ctx.addIssue({
      code: 'custom',
      message: m
        ? 'is a scrypt hash with unusable costs (N a power of two up to 1048576, r and p at least 1): set the password again with "portico passwd"'
        : 'must be a password hash ("scrypt$…"), never the password itself: run "portico passwd HOST USER" (or set the password in the app) to write one',
    });
  })
  .describe('A scrypt password hash written by "portico passwd" ("scrypt$N$r$p$salt$hash").');

const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

/** Why `user` cannot be a Basic-auth user name, or undefined when it can. */
export function userNameProblem(user: string): string | undefined {
  if (user === '') return 'a user name must not be empty';
  if (user.length > 256) return 'a user name must be at most 256 characters';
  // Basic credentials are "user:password": a colon in the name could never be sent.
  if (user.includes(':') || hasControlCharacter(user)) return 'a user name must not contain ":" or control characters';
  return undefined;
}

export const BasicAuthSchema = z
  .object({
    users: z
      .record(z.string(), PasswordHashSchema)
      .superRefine((users, ctx) => {
        for (const user of Object.keys(users)) {
          const problem = userNameProblem(user);
          if (problem) ctx.addIssue({ code: 'custom', path: [user], message: problem });
        }
      })
      .default({})
      .describe('User name → password hash. With no users, nobody gets in. Set passwords with "portico passwd HOST USER".'),
    realm: z
      .string()
      .min(1)
      .max(200)
      .refine((r) => !/["\\]/.test(r) && !hasControlCharacter(r), { message: 'must not contain quotes, backslashes or control characters' })
      .optional()
      .describe('The realm browsers show in the login prompt; the route host when absent.'),
    forwardAuthorization: z.boolean().default(false).describe('Pass the Authorization header on to the backend (off: the backend never sees the credentials).'),
  })
  .strict();

export const AccessAuthSchema = z
  .object({ basic: BasicAuthSchema.describe('HTTP Basic auth: the browser asks for a user name and password.') })
  .strict()
  .describe('Who may use the route. Applies to WebSocket upgrades too.');

export type AccessAuth = z.output<typeof AccessAuthSchema>;
