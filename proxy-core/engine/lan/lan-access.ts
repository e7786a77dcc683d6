// The LAN gate: what a request from another device must show before it reaches a
// backend. It only runs for requests marked as coming from the LAN (a LAN listener, or a
// stranger on a wildcard-bound listener), so requests from this machine never meet it.
//
// The rule: LAN sharing on AND the route marked `share` AND the visitor holds the token.
// The token comes once in the URL (`?portico-token=…`, what the QR code holds): Portico
// answers 303 to the same URL without it and sets an HttpOnly cookie, so the token leaves
// the address bar and never reaches the backend. Scripts may send `Authorization: Bearer`.
// Whichever was used is taken off the request before it is forwarded.
import type { IncomingMessage } from 'node:http';
import type { Route } from '../../contract/index.js';
import type { Refusal, RequestKind } from '../stage.js';
import { tokensMatch } from '../../config/secret-token.js';

export const TOKEN_PARAM = 'portico-token';
export const TOKEN_COOKIE = 'portico-lan';
/** A month: a phone that scanned the code once keeps working across restarts. */
const COOKIE_MAX_AGE = 30 * 24 * 3600;

/**
 * Set on a request that came from another device: `host` when it arrived on a LAN
 * listener (whose port names the host), empty when a stranger reached a listener bound to
 * every interface (the Host header names the host then).
 */
export interface LanOrigin {
  readonly host?: string;
}

/** What the gate needs from the engine's state; swapped with it on a config change. */
export interface LanGate {
  readonly enabled: boolean;
  readonly token: string;
}

/** The value of our cookie in a Cookie header, and the header without it. */
function splitCookie(header: string | undefined): { token?: string; rest?: string } {
  if (header === undefined || !header.includes(TOKEN_COOKIE)) return { rest: header };
  let token: string | undefined;
  const rest = header.split(';').filter((pair) => {
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() !== TOKEN_COOKIE) return true;
    token = pair.slice(eq + 1).trim();
    return false;
  });
  return { token, rest: rest.length > 0 ? rest.join(';').trim() : undefined };
}

/** A malformed escape is kept as written: it then simply fails to match the token. */
function decodeOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `?portico-token=…` taken out of a request target, other parameters kept byte for byte. */
export function splitTokenParam(url: string): { token?: string; url: string } {
  const q = url.indexOf('?');
  if (q === -1 || !url.includes(`${TOKEN_PARAM}=`, q)) return { url };
  let token: string | undefined;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => {
      if (!pair.startsWith(`${TOKEN_PARAM}=`)) return true;
      token = decodeOrRaw(pair.slice(TOKEN_PARAM.length + 1));
      return false;
    });
  return { token, url: url.slice(0, q) + (kept.length > 0 ? `?${kept.join('&')}` : '') };
}

/**
 * A Location that stays on this origin: `//evil.example/x` or `/\evil.example/x` in a
 * Location is another site to a browser, so a leading run of slashes and backslashes
 * becomes one slash.
 */
export const sameOriginPath = (url: string): string => url.replace(/^[/\\]+/, '/');

/** The token a visitor presents by header or cookie (the URL form is handled by the gate). */
export function presentedLanToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return splitCookie(req.headers.cookie).token;
}

/**
 * May this LAN visitor use this shared route? The one place that says what counts as a
 * credential: the token — unless the route has Basic auth (`auth.basic`): then its own password is the
 * credential, and the auth policy that runs next asks for it (401) and checks it.
 */
export function lanAccessAllowed(req: IncomingMessage, route: Route, token: string): boolean {
  if (route.auth?.basic !== undefined) return true;
  const presented = presentedLanToken(req);
  return presented !== undefined && tokensMatch(presented, token);
}

/** Takes the token (Bearer header, our cookie) off a request that passed the gate. */
function dropCredentials(req: IncomingMessage): void {
  if (req.headers.authorization?.startsWith('Bearer ')) delete req.headers.authorization;
  const { rest } = splitCookie(req.headers.cookie);
  if (rest === undefined) delete req.headers.cookie;
  else req.headers.cookie = rest;
}

const refuse = (mark: string, title: string, message: string): Refusal => ({ status: 403, title, message, mark });

const NOT_SHARED = refuse(
  'lan: route not shared',
  'Not shared on this network',
  'This address is only served to the machine Portico runs on. Its owner can share it (the route\'s "share" switch).',
);

/**
 * The gate. `route` is the route the request matched (undefined: none). Answers with a
 * refusal — or, for the token in the URL, a 303 that sets the cookie — or undefined when
 * the request may go on (its credentials then removed).
 */
export function lanRefusal(req: IncomingMessage, route: Route | undefined, gate: LanGate | undefined, kind: RequestKind): Refusal | undefined {
  if (!gate?.enabled) {
    return refuse('lan: sharing off', 'LAN sharing is off', 'Portico serves this machine only. Its owner can switch LAN sharing on.');
  }
  if (route?.share !== true) return NOT_SHARED;
  const fromUrl = splitTokenParam(req.url ?? '/');
  if (fromUrl.token !== undefined) {
    if (!tokensMatch(fromUrl.token, gate.token)) {
      return refuse('lan: wrong token', 'Wrong access token', 'The link holds an old or wrong token: scan the QR code Portico shows now.');
    }
    if (kind === 'http') {
      return {
        status: 303,
        title: 'Token accepted',
        message: `Continue to ${fromUrl.url}.`,
        mark: 'lan: token accepted, cookie set',
        headers: {
          location: sameOriginPath(fromUrl.url),
          'set-cookie': `${TOKEN_COOKIE}=${gate.token}; Path=/; Max-Age=${COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax`,
        },
      };
    }
    req.url = fromUrl.url; // a WebSocket cannot follow a redirect: take the token and go on
  } else if (!lanAccessAllowed(req, route, gate.token)) {
    return presentedLanToken(req) === undefined
      ? refuse('lan: missing token', 'Access token needed', 'Open the link Portico shows for this route (or scan its QR code) once on this device.')
      : refuse('lan: wrong token', 'Wrong access token', 'This device holds an old or wrong token: scan the QR code Portico shows now.');
  }
  dropCredentials(req);
  return undefined;
}
