// The heads Portico actually wrote, for the inspector's "as sent" views: what went to the
// backend (forwarding headers and header rules applied) and what reached the client
// (cache and compression headers added, hop-by-hop ones gone on HTTP/2).
import type { ClientRequest, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { SentHead } from './capture-tap.js';
import { flatHeaders } from './tap-start.js';

/**
 * An HTTP/1 head as written: Node keeps the serialized head on the message once it is
 * sent. Handed on as it is (one string); the recorder parses it only if someone looks.
 */
function writtenHead(message: ClientRequest | ServerResponse): string | undefined {
  const head = (message as unknown as { _header?: unknown })._header;
  return typeof head === 'string' && head.length > 0 ? head : undefined;
}

/** The request head sent to the backend, or undefined before it went. */
export function sentRequestHead(proxyReq: ClientRequest): SentHead | undefined {
  return writtenHead(proxyReq) ?? flatHeaders(proxyReq.getHeaders());
}

/** The response head the client got, or undefined when none was sent. */
export function sentResponseHead(res: ServerResponse | Http2ServerResponse): SentHead | undefined {
  if (!res.headersSent) return undefined;
  const stream = (res as Http2ServerResponse).stream as { sentHeaders?: Record<string, string | string[] | number | undefined> } | undefined;
  if (stream?.sentHeaders) {
    const { ':status': _status, ...rest } = stream.sentHeaders;
    return flatHeaders(rest);
  }
  return writtenHead(res as ServerResponse) ?? flatHeaders(res.getHeaders());
}
