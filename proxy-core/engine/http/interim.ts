// Interim (1xx) responses from the backend go to the client as they arrive — 103 Early
// Hints lets a browser start fetching before the page is ready, 102 tells it the backend
// is still working — over HTTP/1.1 and HTTP/2 alike. They are never stored: the cache only
// sees the final response. 100 Continue is Node's own business on each side, and 101 is
// the WebSocket path.
import { STATUS_CODES, type IncomingHttpHeaders, type InformationEvent, type ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** Fields that are about one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer', 'http2-settings']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !name.startsWith(':')) out[name] = value;
  return out;
}

/** Writes one interim response ahead of the final one; false when it could not. */
export function forwardInterim(res: ServerResponse | Http2ServerResponse, info: InformationEvent): boolean {
  const status = info.statusCode;
  if (status === 100 || status === 101 || status < 100 || status > 199 || res.headersSent || res.destroyed) return false;
  const headers = forwardable(info.headers);
  try {
    if ('stream' in res) {
      // HTTP/2: an extra HEADERS frame with a 1xx :status.
      if (res.stream.destroyed || res.stream.headersSent) return false;
      res.stream.additionalHeaders({ ':status': status, ...headers });
      return true;
    }
    const raw = res as ServerResponse & { _writeRaw?: (data: string, encoding: string) => boolean };
    if (typeof raw._writeRaw !== 'function') return false;
    // Node has writers for 102 and 103 only (and 103 demands a Link); one head for all.
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Informational'}\r\n`;
    for (const [name, value] of Object.entries(headers)) for (const line of Array.isArray(value) ? value : [value]) head += `${name}: ${line}\r\n`;
    raw._writeRaw(head + '\r\n', 'latin1');
    return true;
  } catch {
    return false; // a client that left, a header Node refuses: the final response still goes
  }
}
