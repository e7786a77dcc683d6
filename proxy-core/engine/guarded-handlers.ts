// Every request enters the engine through these wrappers: a synchronous throw anywhere in
// its handling (a value from a client or backend reaching a Node API that throws) answers
// that request 500, or cuts its socket, and is logged with the request that caused it.
// The rest of the proxy never notices.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { createProxyHandlers } from './proxy-handlers.js';

type Handlers = ReturnType<typeof createProxyHandlers>;

/** What the log says about the request; clipped, since every part came from the client. */
const named = (req: IncomingMessage) => `${req.method ?? '?'} ${String(req.headers.host ?? req.headers[':authority'] ?? '')}${req.url ?? ''}`.slice(0, 300);

function failResponse(res: ServerResponse): void {
  try {
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'x-portico': 'error' });
    res.end('Portico hit an internal error on this request; the proxy goes on serving.\n');
  } catch {
    res.destroy();
  }
}

export function guardHandlers(handlers: Handlers, log: (line: string) => void): Handlers {
  const report = (req: IncomingMessage, error: unknown) =>
    log(`internal error on ${named(req)}, request answered 500: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return {
    onRequest(req, res) {
      try {
        handlers.onRequest(req, res);
      } catch (error) {
        report(req, error);
        failResponse(res);
      }
    },
    onUpgrade(req, socket: Duplex, head) {
      try {
        handlers.onUpgrade(req, socket, head);
      } catch (error) {
        report(req, error);
        socket.destroy();
      }
    },
    onConnect: handlers.onConnect,
    onClientError: handlers.onClientError,
    onTlsError: handlers.onTlsError,
  };
}
