// "Copy as cURL": the request as the client sent it, runnable in a POSIX shell, over the
// same HTTP version. Hop-by-hop and HTTP/2 pseudo headers are left out; curl sets its own.
import type { Exchange } from '../../../proxy-core/contract/index.js';

const SKIP = /^(:|host$|content-length$|connection$|transfer-encoding$|keep-alive$|upgrade$)/i;

/** Single-quoted for sh: a ' inside becomes '\''. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function exchangeUrl(x: Pick<Exchange, 'scheme' | 'host' | 'url'>): string {
  return `${x.scheme}://${x.host}${x.url}`;
}

/** The protocol flag that makes curl speak what the client spoke. */
function protocolFlag(x: Pick<Exchange, 'scheme' | 'httpVersion'>): string | undefined {
  if (x.httpVersion.startsWith('2')) return x.scheme === 'https' ? '--http2' : '--http2-prior-knowledge';
  if (x.httpVersion === '1.0') return '--http1.0';
  return '--http1.1';
}

export function toCurl(x: Exchange, body?: string): string {
  const parts = ['curl', shellQuote(exchangeUrl(x))];
  const protocol = protocolFlag(x);
  if (protocol) parts.push(protocol);
  // The client asked for a compressed answer: curl should too, and decode it for the reader.
  if (x.requestHeaders.some(([name]) => name.toLowerCase() === 'accept-encoding')) parts.push('--compressed');
  if (x.method !== 'GET' || body) parts.push('-X', x.method);
  for (const [name, value] of x.requestHeaders) {
    if (!SKIP.test(name)) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body) parts.push('--data-binary', shellQuote(body));
  // The host is a dev name on Portico's port: curl resolves *.localhost to loopback itself.
  return parts.join(' ');
}
