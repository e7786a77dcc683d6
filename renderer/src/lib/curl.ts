// "Copy as cURL": the request as the client sent it, runnable in a POSIX shell. Hop-by-hop
// and HTTP/2 pseudo headers are left out; curl sets its own.
import type { Exchange } from '../../../proxy-core/contract/index.js';

const SKIP = /^(:|host$|content-length$|connection$|transfer-encoding$|keep-alive$|upgrade$)/i;

/** Single-quoted for sh: a ' inside becomes '\''. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function exchangeUrl(x: Pick<Exchange, 'scheme' | 'host' | 'url'>): string {
  return `${x.scheme}://${x.host}${x.url}`;
}

export function toCurl(x: Exchange, body?: string): string {
  const parts = ['curl', shellQuote(exchangeUrl(x))];
  if (x.method !== 'GET' || body) parts.push('-X', x.method);
  for (const [name, value] of x.requestHeaders) {
    if (!SKIP.test(name)) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body) parts.push('--data-binary', shellQuote(body));
  // The host is a dev name on Portico's port: curl resolves *.localhost to loopback itself.
  return parts.join(' ');
}
