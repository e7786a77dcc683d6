// Building a capture record's start and a header list for answers Portico wrote itself.
import type { IncomingMessage } from 'node:http';
import type { TapStart } from './capture-tap.js';
import { isEncrypted } from '../http/incoming.js';

export function tapStart(req: IncomingMessage, kind: 'http' | 'websocket'): TapStart {
  return {
    kind,
    startedAt: Date.now(),
    client: req.socket.remoteAddress ?? '',
    scheme: isEncrypted(req) ? ('https' as const) : ('http' as const),
    httpVersion: req.httpVersion,
    method: req.method ?? 'GET',
    host: req.headers.host ?? '',
    url: req.url ?? '',
    rawHeaders: req.rawHeaders,
  };
}

/** Headers as the client got them, for answers Portico wrote itself. */
export function flatHeaders(headers: Record<string, number | string | string[] | undefined>): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) flat.push(name, String(v));
  }
  return flat;
}
