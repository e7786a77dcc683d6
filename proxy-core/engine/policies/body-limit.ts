// Maximum request body size. A declared Content-Length over the limit is refused before a
// byte of the body is read (with Connection: close, so the unread rest is never parsed as
// a next request); a body without one (chunked, HTTP/2) is counted as it streams to the
// backend, never buffered, and refused the moment it goes over.
import type { IncomingMessage } from 'node:http';
import { effectiveFirewall } from './effective-firewall.js';
import type { PolicyFactory, Refusal } from '../stage.js';

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

export const bodyLimitPolicy: PolicyFactory = (route, defaults) => {
  const max = effectiveFirewall(route.firewall, defaults?.firewall).maxBodyBytes;
  if (max === undefined) return undefined;
  return {
    name: 'firewall: body size',
    request(req, kind) {
      if (kind !== 'http') return undefined;
      const declared = req.headers['content-length'];
      return declared !== undefined && Number(declared) > max ? tooLarge(route.host, max, req) : undefined;
    },
    watch(req, refuse) {
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
