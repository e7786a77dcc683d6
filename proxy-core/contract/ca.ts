// The local CA's scope: which name suffixes its root may vouch for. Kept small on purpose:
// a leaked root key can then forge nothing but your dev names.
import { z } from 'zod';

export const DEFAULT_SUFFIXES = ['localhost', 'test'] as const;

const SUFFIX = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Top-level domains on the HSTS preload list as a whole: browsers insist on HTTPS for
 * every name under them, so plain-HTTP routes there never load. Worth a warning.
 */
const HSTS_PRELOADED = new Set(['dev', 'app', 'page', 'new', 'day', 'foo', 'zip', 'mov', 'esq', 'nexus', 'phd', 'prof', 'boo', 'dad', 'ing', 'meme', 'rsvp', 'fly', 'eat', 'bank', 'insurance']);

export const CaSchema = z
  .object({
    suffixes: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .transform((s) => s.replace(/^\*?\./, ''))
          .refine((s) => SUFFIX.test(s), { message: 'must be a domain suffix such as "test" or "localhost"' }),
      )
      .min(1, 'needs at least one suffix, e.g. ["localhost", "test"]')
      .default([...DEFAULT_SUFFIXES])
      .describe('Name suffixes the local root CA may sign for. Changing them creates a new root.'),
  })
  .strict();

/** Is `host` (or the names under a `*.` pattern) inside one of the suffixes? */
export function withinSuffixes(host: string, suffixes: readonly string[]): boolean {
  // The root also covers 127.0.0.0/8, so a loopback address is always in scope.
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return suffixes.some((s) => name === s || name.endsWith(`.${s}`));
}

/** The sentence for a route host outside the CA's scope, with the fix. */
/** Browsers open names under an HSTS-preloaded suffix over HTTPS only, whatever the URL says. */
export const hstsPreloaded = (suffix: string): boolean => HSTS_PRELOADED.has(suffix.toLowerCase().replace(/^\./, ''));

export function outsideSuffixesMessage(host: string): string {
  const tld = host.slice(host.lastIndexOf('.') + 1);
  const hsts = HSTS_PRELOADED.has(tld) ? ` — note .${tld} is HSTS-preloaded: browsers will only ever open it over HTTPS` : '';
  return `${host} is outside Portico's CA: add "${tld}" to ca.suffixes${hsts}`;
}
