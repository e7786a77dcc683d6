// The doctor's proof: a real TLS handshake to a Portico host, verified against the trust
// the OS gives programs — not "the file is in the folder". The server uses the same leaf
// store (and SNI callback) as the engine's HTTPS listener.
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { CertificateStore } from '../tls/index.js';

export interface HandshakeCheck {
  host: string;
  ok: boolean;
  /** OpenSSL's verdict when it failed, e.g. "UNABLE_TO_GET_ISSUER_CERT_LOCALLY". */
  code?: string;
  message?: string;
}

/** Serves `store`'s leaf for `host` on 127.0.0.1:0 and connects to it trusting only `ca`. */
export async function handshakeCheck(store: CertificateStore, host: string, ca: readonly string[]): Promise<HandshakeCheck> {
  const server = tls.createServer({ SNICallback: store.sniCallback, ...store.defaultCertificate });
  server.on('tlsClientError', () => {}); // the client refusing us is the expected failure
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<HandshakeCheck>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: host, ca: [...ca], rejectUnauthorized: true }, () => {
        socket.destroy();
        resolve({ host, ok: true });
      });
      socket.setTimeout(5_000, () => socket.destroy(Object.assign(new Error('handshake timed out'), { code: 'ETIMEDOUT' })));
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        // Node appends advice about its own --use-system-ca flag, which is not ours to give.
        resolve({ host, ok: false, code: error.code ?? 'ERROR', message: error.message.replace(/; if the root CA is installed locally.*$/s, '') });
      });
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A host the root may sign for, to test with: a configured one if any, else doctor.<suffix>. */
export function checkHost(suffixes: readonly string[], routeHosts: readonly string[]): string {
  const exact = routeHosts.find((h) => !h.startsWith('*.') && suffixes.some((s) => h.endsWith(`.${s}`)));
  if (exact) return exact;
  const suffix = suffixes.includes('localhost') ? 'localhost' : (suffixes[0] ?? 'localhost');
  return `portico-doctor.${suffix}`;
}
