// A backend that thinks it lives at localhost:3000 says so in redirects and cookies.
// These passes put the dev host back, so the browser stays on https://shop.localhost.
import type { IncomingHttpHeaders } from 'node:http';
import { hostnameOf, isLoopbackName } from '../http/host.js';
import { publicOrigin } from '../http/incoming.js';
import type { StageFactory } from '../stage.js';
import type { Upstream } from './pool.js';

export interface PublicSide {
  /** e.g. "http://shop.localhost:8080" — what the browser used. */
  origin: string;
  /** e.g. "shop.localhost". */
  hostname: string;
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Does this absolute URL point at the backend (by its own name or a loopback alias)? */
function pointsAtUpstream(url: URL, upstream: Upstream): boolean {
  if (effectivePort(url) !== effectivePort(upstream.url)) return false;
  return url.hostname === upstream.url.hostname || (isLoopbackName(url.hostname) && isLoopbackName(upstream.url.hostname));
}

export function rewriteLocation(location: string, upstream: Upstream, side: PublicSide): string {
  // Relative and protocol-less forms are already right for the browser.
  if (location.charCodeAt(0) === 47 /* / */ || !URL.canParse(location)) return location;
  const url = new URL(location);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !pointsAtUpstream(url, upstream)) return location;
  return side.origin + location.slice(url.origin.length);
}

const DOMAIN_ATTRIBUTE = /;\s*domain=\.?([^;]*)/i;

export function rewriteCookieDomain(cookie: string, upstream: Upstream, side: PublicSide): string {
  const m = DOMAIN_ATTRIBUTE.exec(cookie);
  if (!m) return cookie;
  const domain = m[1]!.trim().toLowerCase();
  if (domain !== upstream.url.hostname && !isLoopbackName(domain)) return cookie;
  return `${cookie.slice(0, m.index)}; Domain=${side.hostname}${cookie.slice(m.index + m[0].length)}`;
}

/** Runs on every proxied response before its headers are copied to the client. */
export function rewriteResponseHeaders(headers: IncomingHttpHeaders, upstream: Upstream, side: PublicSide): void {
  const location = headers.location;
  if (location !== undefined) headers.location = rewriteLocation(location, upstream, side);
  const cookies = headers['set-cookie'];
  if (cookies !== undefined) headers['set-cookie'] = cookies.map((c) => rewriteCookieDomain(c, upstream, side));
}

/** On every route with a backend: its own name in Location and Set-Cookie becomes the dev host. */
export const backendNamesStage: StageFactory = (route) =>
  route.redirect
    ? undefined
    : {
        name: 'backend names',
        describe: () => 'Location and cookie domains that name the backend are given the dev host',
        responseHead(ex, headers) {
          const upstream = ex.upstream;
          if (!upstream || (headers.location === undefined && headers['set-cookie'] === undefined)) return;
          rewriteResponseHeaders(headers, upstream, { origin: publicOrigin(ex.req), hostname: hostnameOf(ex.req.headers.host) ?? '' });
        },
      };
