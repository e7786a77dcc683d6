// LAN sharing: one explicit switch (settings.lan.enabled, off by default) that opens
// extra listeners on a LAN address, and a per-route `share` flag saying which routes they
// serve. Everything else on the LAN is refused. No Node imports (the renderer uses this).
import { z } from 'zod';

const PORT_MESSAGE = 'must be a whole number from 0 to 65535 (0 picks free ports)';

const isIp = (value: string) => z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success;

export const LanAddressSchema = z
  .string()
  .trim()
  .refine((value) => value === 'auto' || isIp(value), {
    message: 'must be "auto" or an IP address of this machine, such as "192.168.1.20"',
  })
  .describe('The address other devices reach this machine on. "auto": the first IPv4 address of a network interface that is not loopback.');

export const LanSettingsSchema = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .describe('Serve the routes marked "share" to other devices on your network. They need the access token in <data dir>/lan-token.'),
    address: LanAddressSchema.default('auto'),
    port: z
      .number()
      .int(PORT_MESSAGE)
      .min(0, PORT_MESSAGE)
      .max(65535, PORT_MESSAGE)
      .default(8700)
      .describe(
        'The first LAN port. Each shared host gets its own port (phones cannot resolve dev names), counting up from this one in config order. 0 picks free ports.',
      ),
  })
  .strict();

export const LAN_DEFAULTS = LanSettingsSchema.parse({});

export const ShareSchema = z
  .boolean()
  .describe('Serve this route to other devices on your network while LAN sharing (settings.lan) is on. Visitors need the access token.');

/** Why a route cannot be shared, or undefined when it can. */
export function shareProblem(route: { host: string; share?: boolean | undefined }): string | undefined {
  if (route.share !== true || !route.host.startsWith('*.')) return undefined;
  return `cannot be used with a wildcard host: a LAN port serves one host name, so share a route for one name such as "${route.host.slice(2)}"`;
}

/** One shared host as other devices see it. */
export const LanShareSchema = z.object({
  host: z.string(),
  /** The LAN port serving this host. */
  port: z.number(),
  /** The plain address, for devices that already hold the cookie or send a Bearer token. */
  url: z.string(),
  /** The address with the token: opening it once sets the cookie. What the QR code holds. */
  link: z.string(),
  /** The QR code of `link`, as an SVG document. */
  qrSvg: z.string(),
  /** The shared routes of this host ("shop.localhost", "shop.localhost/api"). */
  routes: z.array(z.string()),
});

export const LanStatusSchema = z.object({
  enabled: z.boolean(),
  /** The address the LAN listeners are bound to; undefined when off or none was found. */
  address: z.string().optional(),
  /** Why sharing is on but not serving (no LAN address, a port in use…). */
  error: z.string().optional(),
  shares: z.array(LanShareSchema),
});

export const LanSetSchema = z
  .object({
    enabled: z.boolean(),
    address: LanAddressSchema.optional(),
    port: LanSettingsSchema.shape.port.unwrap().optional(),
  })
  .strict();

export type LanSettings = z.output<typeof LanSettingsSchema>;
export type LanStatus = z.output<typeof LanStatusSchema>;
export type LanShare = z.output<typeof LanShareSchema>;
