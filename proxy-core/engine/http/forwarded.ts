// Tells the backend who really asked: X-Forwarded-* (what frameworks read) and RFC 7239
// `Forwarded` (the standard). Mutates the header object that http-proxy-3 copies upstream.
import type { IncomingHttpHeaders } from 'node:http';

export interface ClientFacts {
  /** The peer address as the socket reports it (IPv4-mapped IPv6 is unwrapped here). */
  remoteAddress: string | undefined;
  encrypted: boolean;
  /** The Host header the client sent (already validated by hostnameOf). */
  host: string;
  /** The port the client connected to on our side. */
  localPort: number | undefined;
  /** The route trusts a proxy in front of it: keep the client's chain and append to it. */
  trustChain?: boolean | undefined;
}

function clientIp(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

/** RFC 7239 §6: IPv6 goes in brackets and quotes; unknown stays a token. */
function forwardedNode(ip: string): string {
  return ip.includes(':') ? `"[${ip}]"` : ip;
}

function append(existing: string | string[] | undefined, value: string): string {
  if (existing === undefined || existing === '') return value;
  return `${Array.isArray(existing) ? existing.join(', ') : existing}, ${value}`;
}

/**
 * The values for one client, host and listener. A dev proxy sees the same one on nearly
 * every request, so the last is kept rather than building the same strings each time.
 */
interface HopValues {
  ip: string;
  host: string;
  encrypted: boolean;
  localPort: number | undefined;
  port: string;
  forwarded: string;
}
let last: HopValues | undefined;

function hopValues(ip: string, client: ClientFacts): HopValues {
  if (last && last.ip === ip && last.host === client.host && last.encrypted === client.encrypted && last.localPort === client.localPort) return last;
  const proto = client.encrypted ? 'https' : 'http';
  last = {
    ip,
    host: client.host,
    encrypted: client.encrypted,
    localPort: client.localPort,
    port: String(client.localPort ?? (client.encrypted ? 443 : 80)),
    // host contains ":" with a port, which is not a token character: quote it (§4).
    forwarded: `for=${forwardedNode(ip)};host="${client.host}";proto=${proto}`,
  };
  return last;
}

export function addForwardedHeaders(headers: IncomingHttpHeaders, client: ClientFacts): void {
  const ip = clientIp(client.remoteAddress);
  const hop = hopValues(ip, client);
  // Portico is the edge: whatever chain the client sent is its own claim, so by default it
  // is replaced and a backend that trusts these headers sees the address Portico saw. A
  // route behind another proxy may opt in (trustForwarded) to keep the chain and append to
  // it (nginx's $proxy_add_x_forwarded_for). Proto, host and port describe this hop and
  // are always set, so a client cannot claim https on plain http.
  const trusted = client.trustChain === true;
  headers['x-forwarded-for'] = trusted ? append(headers['x-forwarded-for'], ip) : ip;
  headers['x-forwarded-proto'] = client.encrypted ? 'https' : 'http';
  headers['x-forwarded-host'] = client.host;
  headers['x-forwarded-port'] = hop.port;
  headers['forwarded'] = trusted ? append(headers['forwarded'], hop.forwarded) : hop.forwarded;
  if (!trusted && headers['x-real-ip'] !== undefined) headers['x-real-ip'] = ip;
}
