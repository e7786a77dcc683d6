// Requests whose framing two parsers could read differently. Node's parser (llhttp, with
// insecureHTTPParser off) already refuses Content-Length together with Transfer-Encoding,
// duplicate or malformed Content-Length, obfuscated `chunked`, bad chunk sizes and
// obs-fold. What it lets through, and a backend behind us might read another way, is
// refused here before routing — the request-smuggling gaps PortSwigger's research lists.
import type { IncomingMessage } from 'node:http';
import type { Refusal } from '../stage.js';

/** The rest of the connection cannot be trusted once its framing was in doubt. */
const CLOSE = { connection: 'close' };

/**
 * A Refusal for a request a strict parser could frame differently, or undefined. A
 * `Transfer-Encoding` that passes is rewritten to exactly `chunked`, the one coding every
 * backend reads the same way.
 */
export function framingRefusal(req: IncomingMessage): Refusal | undefined {
  if (req.httpVersionMajor !== 1) return undefined; // HTTP/2 frames bodies itself
  if (countHeader(req.rawHeaders, 'host') > 1) {
    // RFC 9112 §3.2: one Host or 400. Node keeps the first; a proxy in front may keep the last.
    return refusal(400, 'Bad request', 'The request has more than one Host header.', 'framing: duplicate Host');
  }
  const te = req.headers['transfer-encoding'];
  if (te === undefined) return undefined;
  if (req.httpVersionMinor === 0) {
    // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
    return refusal(400, 'Bad request', 'An HTTP/1.0 request cannot use Transfer-Encoding.', 'framing: HTTP/1.0 with Transfer-Encoding');
  }
  if (te.trim().toLowerCase() !== 'chunked') {
    // llhttp accepts any list that ends in chunked (`identity, chunked`, `gzip, chunked`);
    // backends disagree about those, and no browser sends them. RFC 9112 §6.1 allows 501.
    return refusal(
      501,
      'Transfer coding not supported',
      `Portico only forwards "Transfer-Encoding: chunked", not "${te.slice(0, 100)}".`,
      'framing: transfer coding',
    );
  }
  if (te !== 'chunked') req.headers['transfer-encoding'] = 'chunked';
  return undefined;
}

function countHeader(rawHeaders: readonly string[], lowerName: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.length === lowerName.length && rawHeaders[i]!.toLowerCase() === lowerName) count++;
  return count;
}

const refusal = (status: number, title: string, message: string, mark: string): Refusal => ({ status, title, message, mark, headers: CLOSE });
