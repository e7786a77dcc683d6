// Field conversions shared by HAR export and import. Each is the inverse of its partner
// on the values our export writes, which is what keeps export → import → export stable.
import type { Exchange, HeaderPairs, WsMessage } from '../contract/index.js';
import type { HarCookie, HarNameValue, HarTimings } from './har-types.js';

export function headerValue(pairs: HeaderPairs, name: string): string | undefined {
  const lower = name.toLowerCase();
  return pairs.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Node's '1.1' / '2.0' → 'HTTP/1.1' / 'HTTP/2' (the form Firefox writes). */
export function harHttpVersion(version: string): string {
  const m = /^(?:https?\/)?(\d)(?:\.(\d))?$/i.exec(version.trim());
  if (!m) return version;
  const major = Number(m[1]);
  return major >= 2 ? `HTTP/${major}` : `HTTP/${major}.${m[2] ?? '0'}`;
}

/** Any HAR writer's spelling ('HTTP/1.1', 'http/2.0', 'h2', 'h3', '') → Node's form. */
export function exchangeHttpVersion(version: string): string {
  const v = version.trim().toLowerCase();
  if (v === 'h2' || v === 'h2c') return '2.0';
  if (v === 'h3' || v.startsWith('h3-')) return '3.0';
  const m = /^(?:https?\/)?(\d)(?:\.(\d))?$/.exec(v);
  if (!m) return '1.1';
  return `${m[1]}.${m[2] ?? '0'}`;
}

/** The query of a path, decoded like a form (repeated keys kept in order). */
export function parseQuery(pathAndQuery: string): HarNameValue[] {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return [];
  const hash = pathAndQuery.indexOf('#', q);
  const search = pathAndQuery.slice(q + 1, hash < 0 ? undefined : hash);
  return [...new URLSearchParams(search)].map(([name, value]) => ({ name, value }));
}

/** Cookies a client sent; HTTP/2 clients may split them over several `cookie` headers. */
export function requestCookies(headers: HeaderPairs): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'cookie') continue;
    for (const part of value.split(';')) {
      const pair = splitPair(part);
      if (pair) cookies.push(pair);
    }
  }
  return cookies;
}

/** Cookies a server set, with their attributes (RFC 6265 §5.2; Max-Age wins over Expires). */
export function responseCookies(headers: HeaderPairs, receivedAt: number): HarCookie[] {
  const cookies: HarCookie[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'set-cookie') continue;
    const [first = '', ...attributes] = value.split(';');
    const cookie: HarCookie | undefined = splitPair(first);
    if (!cookie) continue;
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split(/=(.*)/s).map((s) => s.trim());
      const k = key.toLowerCase();
      if (k === 'path') cookie.path = val;
      else if (k === 'domain') cookie.domain = val;
      else if (k === 'httponly') cookie.httpOnly = true;
      else if (k === 'secure') cookie.secure = true;
      else if (k === 'samesite') cookie._sameSite = val;
      else if (k === 'expires' && !Number.isNaN(Date.parse(val))) cookie.expires ??= new Date(Date.parse(val)).toISOString();
      else if (k === 'max-age' && /^-?\d+$/.test(val)) maxAge = Number(val);
    }
    if (maxAge !== undefined) cookie.expires = new Date(receivedAt + maxAge * 1000).toISOString();
    cookies.push(cookie);
  }
  return cookies;
}

function splitPair(text: string): HarNameValue | undefined {
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!name) return undefined;
  return { name, value: eq < 0 ? '' : text.slice(eq + 1).trim() };
}

const TEXT_TYPES = new Set([
  'application/json',
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'image/svg+xml',
]);

export function mimeEssence(mimeType: string | undefined): string {
  return (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isTextual(mimeType: string | undefined): boolean {
  const essence = mimeEssence(mimeType);
  return essence.startsWith('text/') || essence.endsWith('+json') || essence.endsWith('+xml') || TEXT_TYPES.has(essence);
}

// fatal: invalid UTF-8 must fall back to base64, never be replaced by U+FFFD (lossy);
// ignoreBOM: a leading BOM is content and must survive the round trip.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A body as HAR text: UTF-8 when the type is textual (or unknown and the bytes are clean
 * text) and the bytes decode; base64 otherwise. A cut body may end inside a character; that
 * partial character is dropped so the preview still reads as text.
 */
export function bodyText(bytes: Buffer, mimeType: string | undefined, truncated: boolean): { text: string; base64: boolean } {
  const unknownType = mimeEssence(mimeType) === '' || mimeEssence(mimeType) === 'x-unknown';
  const looksText = isTextual(mimeType) || (unknownType && !hasControlBytes(bytes));
  if (looksText) {
    for (let cut = 0; cut <= (truncated ? Math.min(3, bytes.length) : 0); cut++) {
      try {
        return { text: utf8.decode(bytes.subarray(0, bytes.length - cut)), base64: false };
      } catch {
        // Not UTF-8 (yet): try dropping one more trailing byte of a cut character.
      }
    }
  }
  return { text: bytes.toString('base64'), base64: true };
}

/** C0 controls other than tab, newline, VT, FF, CR (and DEL) mean binary, whatever decodes. */
function hasControlBytes(bytes: Buffer): boolean {
  for (const b of bytes) if ((b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f) return true;
  return false;
}

/** Milliseconds rounded to microseconds, so float noise cannot break a round trip. */
export const r3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * Exchange timings (ms from arrival: upstream connected, first byte, end) → HAR phases.
 * HAR wants send/wait/receive ≥ 0 and `time` = the sum of the non-negative phases, so
 * phases are clamped and `time` is that sum, not taken from elsewhere.
 */
export function harTimings(t: Exchange['timings']): { timings: HarTimings; time: number } {
  const base = t.connected ?? 0;
  // A throttle's hold is HAR's "blocked" (queued before any network work), not connect time.
  const held = t.throttled ?? 0;
  const blocked = t.throttled === undefined ? -1 : r3(held);
  const connect = t.connected === undefined ? -1 : r3(Math.max(0, t.connected - held));
  let wait = 0;
  let receive = 0;
  if (t.firstByte !== undefined) {
    wait = r3(Math.max(0, t.firstByte - base));
    if (t.end !== undefined) receive = r3(Math.max(0, t.end - Math.max(t.firstByte, base)));
  } else if (t.end !== undefined) {
    wait = r3(Math.max(0, t.end - base));
  }
  const timings: HarTimings = { blocked, dns: -1, connect, send: 0, wait, receive, ssl: -1 };
  return { timings, time: harTime(timings) };
}

/** `time` per HAR: the non-negative phases, ssl excluded (it is part of connect). */
export function harTime(t: Omit<HarTimings, 'ssl'>): number {
  return r3([t.blocked, t.dns, t.connect, t.send, t.wait, t.receive].reduce((sum, v) => sum + Math.max(0, v), 0));
}

/**
 * HAR phases → exchange timings. Everything before the request was sent (blocked, dns,
 * connect) becomes `connected`; `firstByte` exists only if a response came.
 */
export function exchangeTimings(t: Partial<HarTimings> | undefined, time: number | undefined, responded: boolean): Exchange['timings'] {
  const nn = (v: number | undefined) => (v !== undefined && v > 0 ? v : 0);
  if (!t) return responded ? { firstByte: r3(nn(time)), end: r3(nn(time)) } : { end: r3(nn(time)) };
  const pre = nn(t.blocked) + nn(t.dns) + nn(t.connect);
  const firstByte = r3(pre + nn(t.send) + nn(t.wait));
  const timings: Exchange['timings'] = { end: r3(firstByte + nn(t.receive)) };
  if (t.connect !== undefined && t.connect >= 0) timings.connected = r3(pre);
  if (responded) timings.firstByte = firstByte;
  return timings;
}

const OPCODES: Record<WsMessage['opcode'], number> = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 };
export const wsOpcodeNumber = (opcode: WsMessage['opcode']): number => OPCODES[opcode];
export const wsOpcodeName = (n: number): WsMessage['opcode'] | undefined =>
  (Object.keys(OPCODES) as WsMessage['opcode'][]).find((k) => OPCODES[k] === n);
