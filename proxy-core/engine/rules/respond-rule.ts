// The answering actions: `respond` (a body from the rule, or a local file read again on
// every request so editing it shows at once) and `fail` (a reset, or no answer at all
// until the client gives up). The backend is never contacted. A file is only read when
// its rule matched, with the rights of the user running Portico.
import { readFile } from 'node:fs/promises';
import { constants as h2 } from 'node:http2';
import path from 'node:path';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RespondAction } from '../../contract/index.js';
import type { Exchange } from '../exchange-state.js';
import { sendPage, writeRawStatus } from '../http/pages.js';
import { dropConnectionSpecific } from '../upstream/backend-head.js';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** Framing is ours to set: the length of the body actually sent. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

interface Body {
  bytes: Buffer;
  type: string | undefined;
}

async function bodyOf(respond: RespondAction): Promise<Body> {
  if (respond.file !== undefined) {
    return { bytes: await readFile(respond.file), type: TYPES[path.extname(respond.file).toLowerCase()] ?? 'application/octet-stream' };
  }
  if (respond.json !== undefined) return { bytes: Buffer.from(JSON.stringify(respond.json)), type: 'application/json' };
  if (respond.body !== undefined) return { bytes: Buffer.from(respond.body), type: 'text/plain; charset=utf-8' };
  return { bytes: Buffer.alloc(0), type: undefined };
}

/** Answers an HTTP request with the rule's response. */
export async function respondWith(ex: Exchange, respond: RespondAction, label: string): Promise<void> {
  const res = ex.res;
  let body: Body;
  try {
    body = await bodyOf(respond);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    ex.tap?.mark('rule', `rule '${label}' could not read its file (${reason})`);
    if (!res.destroyed)
      sendPage(ex.req, res, { status: 500, title: 'Mock file unreadable', message: `Rule "${label}" could not read ${respond.file}: ${reason}.` });
    return;
  }
  if (res.destroyed || res.headersSent) return;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(respond.headers ?? {})) if (!FRAMING.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  if (body.type !== undefined && headers['content-type'] === undefined) headers['content-type'] = body.type;
  if (ex.req.httpVersionMajor === 2) dropConnectionSpecific(headers as IncomingHttpHeaders);
  const bodiless = ex.req.method === 'HEAD' || respond.status === 204 || respond.status === 304;
  if (!bodiless || ex.req.method === 'HEAD') headers['content-length'] = body.bytes.length;
  try {
    res.writeHead(respond.status, headers);
  } catch (error) {
    // A header the user wrote that HTTP cannot carry: say so rather than fail silently.
    sendPage(ex.req, res, { status: 500, title: 'Mock header invalid', message: `Rule "${label}": ${(error as Error).message}` });
    return;
  }
  res.end(bodiless ? undefined : body.bytes);
}

/** A WebSocket upgrade a respond rule refuses: the status, no upgrade. */
export function refuseUpgrade(socket: Duplex, status: number, label: string): void {
  writeRawStatus(socket, status, 'Refused by rule', `Rule "${label}" answered this upgrade with ${status}.`);
}

/** Cuts the client: the TCP connection for HTTP/1.1 and upgrades, the stream alone for HTTP/2. */
export function cutClient(ex: Exchange): void {
  const client = ex.client as (ServerResponse & { stream?: { close(code: number): void } }) | Duplex;
  if ('stream' in client && client.stream) return client.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
  const socket = 'socket' in client && client.socket ? client.socket : (client as Duplex);
  // A reset (RST), not a clean close: the client sees ECONNRESET, as from a crashed server.
  if ('resetAndDestroy' in socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
