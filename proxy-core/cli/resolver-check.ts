// Doctor's name check, asked of the system resolver (getaddrinfo through dns.lookup): the
// one Node, Python, curl and server-side fetches (SSR, API routes) use. Browsers resolve
// *.localhost to loopback by themselves, so "the browser loads it" proves nothing about
// the rest; this says who can and who cannot resolve each route host.
import dns from 'node:dns';

/** The shape of dns.promises.lookup we use; tests pass their own to fake a resolver. */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }>;

export const systemLookup: Lookup = (hostname) => dns.promises.lookup(hostname);

export interface NameResolution {
  host: string;
  /** The name asked for: the host itself, or a sample under a wildcard. */
  asked: string;
  address?: string;
  error?: string;
}

const isLoopback = (address: string) => address.startsWith('127.') || address === '::1';
const isBrowserLocal = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** The names to ask about: wildcards by a sample name under them; addresses are skipped. */
function askedName(host: string): string | undefined {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return undefined;
  return host.startsWith('*.') ? `portico-check.${host.slice(2)}` : host;
}

export async function checkResolution(routeHosts: readonly string[], lookup: Lookup = systemLookup): Promise<NameResolution[]> {
  const hosts = [...new Set(routeHosts)].sort();
  const results: NameResolution[] = [];
  for (const host of hosts) {
    const asked = askedName(host);
    if (!asked) continue;
    try {
      const { address } = await lookup(asked);
      results.push({ host, asked, address });
    } catch (error) {
      results.push({ host, asked, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  }
  return results;
}

/** A resolution that is a problem: no answer, or an answer that is not this machine. */
export const resolutionFailed = (r: NameResolution) => r.address === undefined || !isLoopback(r.address);

/** Lines for doctor's report, each failure with who is affected and the fix. */
export function renderResolution(results: readonly NameResolution[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const name = r.asked === r.host ? r.host : `${r.host} (asked as ${r.asked})`;
    if (r.address !== undefined && isLoopback(r.address)) {
      lines.push(`  ✓ ${name} → ${r.address} for everyone: browsers, Node, Python, curl, server-side fetches`);
      continue;
    }
    const what = r.address !== undefined ? `resolves to ${r.address}, not this machine` : `does not resolve (${r.error})`;
    const browsers = isBrowserLocal(r.host) ? 'Browsers can (they resolve *.localhost themselves)' : 'Browsers cannot either';
    lines.push(`  ✗ ${name} ${what} with the system resolver. ${browsers}; Node, Python, curl and server-side fetches cannot.`);
    if (r.host.startsWith('*.')) lines.push(`    fix: list the names you use under ${r.host} in the hosts file (a hosts file has no wildcards)`);
    else lines.push(`    fix: portico hosts sync${isBrowserLocal(r.host) ? ' --localhost' : ''} (adds it to Portico's block in the hosts file)`);
  }
  return lines;
}
