// Pure decisions behind LAN sharing: who counts as this machine, which address is "the
// LAN", and which port serves which shared host. No sockets here, so each has a table test.
import type { NetworkInterfaceInfo } from 'node:os';
import type { Route } from '../../contract/index.js';

/**
 * Is a peer this machine? All of 127.0.0.0/8, ::1, and IPv4 loopback as an IPv6 socket
 * reports it (::ffff:127.0.0.1). Anything else — including an unknown address (a socket
 * already gone) — is treated as a stranger.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address.startsWith('127.')) return true;
  if (address === '::1' || address === '0:0:0:0:0:0:0:1') return true;
  return address.toLowerCase().startsWith('::ffff:127.');
}

/**
 * The address other devices reach us on. `wanted` is an address the user picked, used as
 * given (binding tells whether it is ours); "auto" takes the first IPv4 address of an
 * interface that is up and not internal, skipping link-local 169.254/16 (what a machine
 * gives itself with no DHCP answer: nobody else can reach it there).
 */
export function chooseLanAddress(wanted: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): { address: string } | { error: string } {
  if (wanted !== 'auto') return { address: wanted };
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')) return { address: info.address };
    }
  }
  return { error: 'no network interface with an IPv4 address was found (is this machine on a network?); set settings.lan.address' };
}

/** One LAN listener: the host it serves and the port it asks for. */
export interface LanPlanEntry {
  host: string;
  port: number;
  /** "shop.localhost", "shop.localhost/api": the shared routes of this host, for status. */
  routes: string[];
  /** Where a visitor starts: the first shared route's path prefix, or "/". */
  path: string;
}

/**
 * One port per shared host, counting up from `firstPort` in config order (a phone cannot
 * resolve "shop.localhost", so the port is what names the host). Port 0 gives every host
 * a free port. Disabled routes and wildcard hosts (refused by the schema) take no port.
 */
export function lanPlan(routes: readonly Route[], firstPort: number): LanPlanEntry[] {
  const plan: LanPlanEntry[] = [];
  for (const route of routes) {
    if (!route.enabled || route.share !== true || route.host.startsWith('*.')) continue;
    const label = `${route.host}${route.pathPrefix && route.pathPrefix !== '/' ? route.pathPrefix : ''}`;
    const entry = plan.find((e) => e.host === route.host);
    if (entry) entry.routes.push(label);
    else plan.push({ host: route.host, port: firstPort === 0 ? 0 : firstPort + plan.length, routes: [label], path: route.pathPrefix ?? '/' });
  }
  return plan;
}
