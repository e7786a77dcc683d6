// Which ports to listen on: 80/443 when the OS lets us, else the best fallback and the
// reason, so every URL Portico shows carries the port it really has. Pure: binding is
// injected (`tryBind`), so every platform's path is testable anywhere.

export type BindOutcome = 'ok' | 'EACCES' | 'EADDRINUSE' | (string & {});

/** Tries to listen on host:port and closes again at once. */
export type TryBind = (port: number, host: string) => Promise<BindOutcome>;

export interface PortChoice {
  port: number;
  /** The address to bind: loopback, or the wildcard where only that is allowed (macOS). */
  host: string;
  /** Set when this is not the wanted port/host: why, in one sentence. */
  reason?: string;
  /** Bound on every interface: the listener must refuse non-loopback peers unless LAN sharing is on. */
  loopbackOnly?: boolean;
}

export interface PortOffer {
  /** Linux: allow unprivileged ports from 80 once (see ./sysctl.ts). */
  kind: 'unprivileged-ports';
  text: string;
}

export interface PortsChoice {
  http: PortChoice;
  https: PortChoice;
  offers: PortOffer[];
}

export interface ChoosePortsOptions {
  wanted: { http: number; https: number };
  platform: NodeJS.Platform;
  tryBind: TryBind;
  host?: string;
}

/** Where to fall back to, in order; 0 (any free port) last, so we always end up listening. */
export const FALLBACKS = { http: [8080, 8081, 8082, 8088, 8888, 0], https: [8443, 8444, 8445, 9443, 0] } as const;

const WILDCARD = '0.0.0.0';

async function chooseOne(kind: 'http' | 'https', wanted: number, options: ChoosePortsOptions, offers: PortOffer[]): Promise<PortChoice> {
  const host = options.host ?? '127.0.0.1';
  const first = await options.tryBind(wanted, host);
  if (first === 'ok') return { port: wanted, host };

  let why: string;
  if (first === 'EACCES' && options.platform === 'darwin' && wanted < 1024) {
    // Since macOS 10.14 any user may bind low ports, but only on the wildcard address.
    if ((await options.tryBind(wanted, WILDCARD)) === 'ok') {
      return {
        port: wanted,
        host: WILDCARD,
        loopbackOnly: true,
        reason: `macOS allows port ${wanted} only on all interfaces; peers other than this machine are refused`,
      };
    }
    why = `port ${wanted} needs privileges here`;
  } else if (first === 'EACCES') {
    why = `port ${wanted} needs privileges here`;
    if (options.platform === 'linux' && wanted < 1024 && !offers.some((o) => o.kind === 'unprivileged-ports')) {
      offers.push({
        kind: 'unprivileged-ports',
        text: `allow ports from 80 for every user once (net.ipv4.ip_unprivileged_port_start=80, kept in /etc/sysctl.d/50-portico.conf) to use ${options.wanted.http}/${options.wanted.https}`,
      });
    }
  } else if (first === 'EADDRINUSE') {
    why = `port ${wanted} is in use by another program`;
  } else {
    why = `port ${wanted} cannot be used (${first})`;
  }
  for (const port of FALLBACKS[kind]) {
    if (port === wanted) continue;
    if ((await options.tryBind(port, host)) === 'ok') {
      return { port, host, reason: `${why}; using ${port === 0 ? 'a free port' : port} instead` };
    }
  }
  return { port: 0, host, reason: `${why}; using a free port instead` };
}

export async function choosePorts(options: ChoosePortsOptions): Promise<PortsChoice> {
  const offers: PortOffer[] = [];
  const http = await chooseOne('http', options.wanted.http, options, offers);
  const https = await chooseOne('https', options.wanted.https, options, offers);
  return { http, https, offers };
}
