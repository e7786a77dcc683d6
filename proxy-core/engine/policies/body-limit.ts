// Maximum request body size. A declared Content-Length over the limit is refused before a
// byte of the body is read (with Connection: close, so the unread rest is never parsed as
// a next request); a body without one (chunked, HTTP/2) is counted as it streams to the
// backend, never buffered, and refused the moment it goes over.
import type { IncomingMessage } from 'node:http';
import type { Refusal, StageFactory } from '../stage.js';

function tooLarge(host: string, max: number, req: IncomingMessage): Refusal {
  return {
    status: 413,
    title: 'Request body too large',
    message: `${host} accepts request bodies of at most ${max} bytes.`,
    // HTTP/2 has no Connection header (it is an error there); its stream simply ends.
    headers: req.httpVersionMajor < 2 ? { connection: 'close' } : undefined,
    mark: `firewall: body over ${max} bytes`,
  };
}

export const bodyLimitPolicy: StageFactory = (route, switches) => {
  const max = switches.firewall.maxBodyBytes;
  if (max === undefined) return undefined;
  return {
    name: 'firewall: body size',
    describe: () => `request bodies up to ${max} bytes`,
    request(ex) {
      if (ex.kind !== 'http') return undefined;
      const req = ex.req;
      const declared = req.headers['content-length'];
      return declared !== undefined && Number(declared) > max ? tooLarge(route.host, max, req) : undefined;
    },
    requestBody(ex, refuse) {
      const req = ex.req;
      if (req.headers['content-length'] !== undefined) return; // checked up front; the parser holds the client to it
      let seen = 0;
      const count = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen <= max) return;
        req.off('data', count);
        refuse(tooLarge(route.host, max, req));
      };
      req.on('data', count);
    },
  };
};
