// What a backend's response head may carry to the client. Node refuses to write some of
// it and throws where nothing can catch it (inside a pipe): a status outside 100–599
// (`HTTP/1.1 000`, `999`), or, to an HTTP/2 client, a connection-specific header. The
// first is answered 502 here; the second is dropped before the head is written.
import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §15: three digits, 1xx to 5xx. Anything else is not a status a client can be sent. */
export const isSendableStatus = (status: number | undefined): status is number =>
  status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599;

/** RFC 9113 §8.2.2: an HTTP/2 message must not carry these; a client resets a stream that does. */
const CONNECTION_SPECIFIC = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'http2-settings'];

/** Drops the connection-specific headers (and any the backend's Connection header names) for an HTTP/2 client. */
export function dropConnectionSpecific(headers: IncomingHttpHeaders): void {
  const listed = headers.connection;
  if (typeof listed === 'string') {
    for (const name of listed.toLowerCase().split(',')) {
      const trimmed = name.trim();
      if (trimmed !== '' && !trimmed.startsWith(':')) delete headers[trimmed];
    }
  }
  for (const name of CONNECTION_SPECIFIC) if (headers[name] !== undefined) delete headers[name];
}
