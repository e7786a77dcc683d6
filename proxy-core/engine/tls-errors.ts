// A TLS handshake that fails never becomes a request, so without this the Traffic view
// would have nothing to say about a page showing a certificate error. Each failure is
// recorded as a failed connection with the reason in words: the browser does not trust
// Portico's root (an "unknown CA" alert), or the name it asked for (SNI) is one no
// certificate of Portico covers, so it got the default one.
import type { TLSSocket } from 'node:tls';
import type { Recorder } from './capture-tap.js';

/** Reasons by the alert or error OpenSSL reports; the name is filled in. */
function reasonFor(err: NodeJS.ErrnoException, servername: string | undefined): string {
  const code = err.code ?? '';
  const name = servername ? `${servername}` : 'the address (no name sent, so no SNI)';
  if (code.includes('UNKNOWN_CA')) return `The client does not trust Portico's root CA: run \`portico trust\`, then restart the browser.`;
  if (code.includes('BAD_CERTIFICATE') || code.includes('CERTIFICATE_UNKNOWN')) {
    return `The client refused the certificate Portico presented for ${name}: its root is not trusted there, or no Portico certificate covers that name (only route hosts under the CA's suffixes get one).`;
  }
  if (code.includes('WRONG_VERSION_NUMBER') || code.includes('HTTP_REQUEST')) return 'Not TLS: plain HTTP sent to the HTTPS port.';
  if (code.includes('VERSION') || code.includes('NO_SHARED_CIPHER')) return `The client and Portico share no TLS version or cipher (Portico needs TLS 1.2 or later).`;
  return `TLS handshake failed: ${err.message}`;
}

export function tlsErrorHandler(recorder: Recorder | undefined) {
  return (err: NodeJS.ErrnoException, socket: TLSSocket): void => {
    // A client that connects and leaves without a word (a port scan, a health probe) is not a failed handshake worth showing.
    if (err.code === 'ECONNRESET' || !recorder?.active) return;
    const servername = (socket as TLSSocket & { servername?: string | false }).servername || undefined;
    const tap = recorder.begin({
      kind: 'http',
      startedAt: Date.now(),
      client: socket.remoteAddress ?? '',
      scheme: 'https',
      httpVersion: '-',
      method: 'TLS',
      host: servername ?? '',
      url: '',
      rawHeaders: [],
    });
    tap?.mark('portico', 'TLS handshake failed');
    tap?.failed(err.code ?? 'TLS_HANDSHAKE', reasonFor(err, servername));
  };
}
