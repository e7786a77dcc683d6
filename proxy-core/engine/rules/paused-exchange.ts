// Pausing an exchange at a breakpoint: the request before it goes upstream, or the
// response before it goes to the client. The body is read whole first (the editor shows
// it), then sent on as it was or as edited, with Content-Length matching what is sent.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { BreakpointEdits, PausePhase } from '../../contract/index.js';
import type { Exchange } from '../exchange-state.js';
import { isEncrypted } from '../http/incoming.js';
import type { Outgoing } from '../respond.js';
import { dropConnectionSpecific } from '../upstream/backend-head.js';
import type { Breakpoints, Decision } from './breakpoints.js';
import { cutClient } from './respond-rule.js';

/** Read whole, at most this much: a pause is for a person to look at, not for a disk image. */
const MAX_BODY = 16 * 1024 * 1024;

function readAll(stream: Readable): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        stream.destroy();
        return resolve(undefined);
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', () => resolve(undefined));
    stream.once('close', () => resolve(Buffer.concat(chunks)));
  });
}

const pairsOf = (headers: IncomingHttpHeaders): [string, string][] =>
  Object.entries(headers).flatMap(([name, value]) =>
    name.startsWith(':') || value === undefined ? [] : Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, String(value)]],
  );

function headersOf(pairs: readonly (readonly [string, string])[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    const had = headers[name];
    if (had === undefined) headers[name] = value;
    else if (name === 'set-cookie') headers[name] = [...(Array.isArray(had) ? had : [had]), value];
    else headers[name] = `${Array.isArray(had) ? had.join(', ') : had}, ${value}`;
  }
  return headers;
}

/** What changed, in words for the mark: "method, header x-debug, body". */
function describeEdits(before: IncomingHttpHeaders, after: IncomingHttpHeaders | undefined, edits: BreakpointEdits, changedBody: boolean): string[] {
  const words: string[] = [];
  if (edits.method !== undefined) words.push('method');
  if (edits.url !== undefined) words.push('url');
  if (edits.status !== undefined) words.push('status');
  if (after) {
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (name.startsWith(':') || name === 'content-length') continue;
      if (String(before[name]) !== String(after[name])) words.push(`header ${name}`);
    }
  }
  if (changedBody) words.push('body');
  return words;
}

/** The client left already (its connection, or its HTTP/2 stream): nothing to pause for. */
export function clientGone(ex: Exchange): boolean {
  const res = ex.res as Exchange['res'] & { stream?: { destroyed: boolean } };
  return res.destroyed || res.writableEnded || (res.stream?.destroyed ?? ex.req.socket?.destroyed ?? false);
}

/** Sets Content-Length to what is sent (and drops chunked framing); a bodiless message that had none gets none. */
function frame(headers: IncomingHttpHeaders, body: Buffer, hadFraming: boolean): void {
  delete headers['transfer-encoding'];
  if (body.length > 0 || hadFraming) headers['content-length'] = String(body.length);
  else delete headers['content-length'];
}

function mark(ex: Exchange, phase: PausePhase, label: string, since: number, words: string[] | 'aborted' | 'cancelled'): void {
  const seconds = Math.round((Date.now() - since) / 1000);
  const tail = Array.isArray(words) ? (words.length ? `, edited: ${words.join(', ')}` : '') : `, ${words}`;
  ex.tap?.mark(`breakpoint ${phase}`, `paused ${seconds} s at ${phase} breakpoint (rule '${label}')${tail}`);
}

/** Pauses the request before it goes upstream; `next` sends it on (edited), or the client is cut. */
export async function pauseRequest(ex: Exchange, breakpoints: Breakpoints, rule: string, label: string, next: () => void): Promise<void> {
  const req = ex.req;
  const source: Readable = ex.body ?? req;
  const hadFraming = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const body = await readAll(source);
  if (body === undefined) return cutClient(ex);
  if (clientGone(ex)) return;
  const since = Date.now();
  const decision: Decision = await breakpoints.pause(
    {
      phase: 'request',
      ...whatIsPaused(ex, rule),
      headers: pairsOf(req.headers),
      body: body.toString('base64'),
      editable: ['method', 'url', 'headers', 'body'],
    },
    ex.res,
  );
  if (!decision.go) {
    mark(ex, 'request', label, since, decision.why);
    return cutClient(ex);
  }
  const edits = decision.edits ?? {};
  const before = { ...req.headers };
  let sent = body;
  if (edits.body !== undefined) sent = Buffer.from(edits.body, 'base64');
  if (edits.headers !== undefined) {
    const next = headersOf(edits.headers);
    // The route decides where the request goes; the Host it names stays the client's.
    next.host = req.headers.host;
    for (const name of Object.keys(req.headers)) if (!name.startsWith(':')) delete req.headers[name];
    Object.assign(req.headers, next);
  }
  if (edits.method !== undefined) req.method = edits.method;
  if (edits.url !== undefined) req.url = edits.url;
  frame(req.headers, sent, hadFraming || edits.body !== undefined);
  mark(ex, 'request', label, since, describeEdits(before, edits.headers ? req.headers : undefined, edits, edits.body !== undefined));
  ex.body = Readable.from(sent.length ? [sent] : []);
  next();
}

/** What both kinds of pause show of the exchange: the rule and the request's line. */
function whatIsPaused(ex: Exchange, rule: string) {
  const req: IncomingMessage = ex.req;
  return {
    rule,
    exchangeId: ex.tap?.id,
    scheme: isEncrypted(req) ? ('https' as const) : ('http' as const),
    host: req.headers.host ?? '',
    method: req.method ?? 'GET',
    url: req.url ?? '/',
  };
}

/** Pauses the backend's response before it goes to the client: the response to write, edited or not. */
export async function pauseResponse(ex: Exchange, out: Outgoing, breakpoints: Breakpoints, rule: string, label: string): Promise<Outgoing> {
  const req: IncomingMessage = ex.req;
  const body = await readAll(out.body);
  if (body === undefined || clientGone(ex)) {
    cutClient(ex);
    return { ...out, body: Readable.from([]) };
  }
  const encoding = out.headers['content-encoding'];
  const since = Date.now();
  const decision = await breakpoints.pause(
    {
      phase: 'response',
      ...whatIsPaused(ex, rule),
      headers: pairsOf(out.headers),
      status: out.status,
      body: body.toString('base64'),
      encoding: typeof encoding === 'string' && encoding !== 'identity' ? encoding : undefined,
      editable: ['status', 'headers', 'body'],
    },
    ex.res,
  );
  if (!decision.go) {
    mark(ex, 'response', label, since, decision.why);
    cutClient(ex);
    return { ...out, body: Readable.from([]) };
  }
  const edits = decision.edits ?? {};
  const headers = edits.headers !== undefined ? headersOf(edits.headers) : { ...out.headers };
  let sent = body;
  if (edits.body !== undefined) {
    sent = Buffer.from(edits.body, 'base64');
    // The edited body is what the person typed: plain bytes, whatever the backend encoded.
    delete headers['content-encoding'];
  }
  // Headers HTTP/2 forbids would make Node throw mid-write; the person may have typed one.
  if (req.httpVersionMajor === 2) dropConnectionSpecific(headers);
  const bodiless = req.method === 'HEAD' || out.status === 204 || out.status === 304;
  if (!bodiless) frame(headers, sent, true);
  mark(ex, 'response', label, since, describeEdits(out.headers, edits.headers ? headers : undefined, edits, edits.body !== undefined));
  const status = edits.status ?? out.status;
  return { status, statusMessage: edits.status !== undefined ? undefined : out.statusMessage, headers, body: Readable.from(sent.length ? [sent] : []) };
}
