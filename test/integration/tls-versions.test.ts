// Protocol versions, ALPN and cipher order on the HTTPS listener: TLS 1.2 and 1.3 are
// served, TLS 1.1 is refused, ALPN offers h2 and http/1.1, and TLS 1.3 picks AES-128-GCM.
//
// Node's own default minimum is already TLS 1.2 and OpenSSL 3 refuses TLS 1.1 at its
// default security level, so a client offering 1.1 would be refused even if the listener
// forgot its `minVersion`. To test the listener's setting and not those defaults, this
// file lowers both process-wide defaults (restored afterwards) and first proves, with a
// control server, that a TLS 1.1 handshake really can succeed in this process.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { handshake, handshakeError, removeDir, startHttpsEngine, tempDataDir, type HttpsEngine } from '../helpers/tls.js';

const LEGACY_CLIENT: tls.ConnectionOptions = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' };

describe('TLS versions and ALPN', () => {
  const shared = closeAfter('all');
  const saved = { min: tls.DEFAULT_MIN_VERSION, ciphers: tls.DEFAULT_CIPHERS };
  let certs: Certificates;
  let proxy: HttpsEngine;
  /** Why the TLS 1.1 case cannot be tested here, if it cannot. */
  let legacyUnavailable: string | undefined;

  beforeAll(async () => {
    tls.DEFAULT_MIN_VERSION = 'TLSv1';
    tls.DEFAULT_CIPHERS = 'DEFAULT:@SECLEVEL=0';
    const dir = shared(await tempDataDir(), removeDir);
    certs = await openCertificates(dir, ['localhost', 'test']);
    const backend = shared(await startBackend('app'));
    proxy = shared(await startHttpsEngine(dir, [{ host: 'app.localhost', target: backend.url }], {}, certs));

    // The control: a server on the lowered defaults, same leaf source, accepts TLS 1.1.
    const control = tls.createServer({ ...certs.store.defaultCertificate, SNICallback: certs.store.sniCallback }, (s) => s.end());
    control.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    shared(control, (s) => new Promise<void>((resolve) => s.close(() => resolve())));
    try {
      const done = await handshake((control.address() as { port: number }).port, { ...LEGACY_CLIENT, ca: certs.ca.certPem, servername: 'app.localhost' });
      if (done.protocol !== 'TLSv1.1') legacyUnavailable = `the control negotiated ${done.protocol}, not TLSv1.1`;
    } catch (error) {
      legacyUnavailable = `this Node/OpenSSL (${process.versions.openssl}) cannot complete a TLS 1.1 handshake at all: ${(error as Error).message}`;
    }
  });

  afterAll(() => {
    tls.DEFAULT_MIN_VERSION = saved.min;
    tls.DEFAULT_CIPHERS = saved.ciphers;
  });

  it('refuses a client that offers at most TLS 1.1', async (context) => {
    if (legacyUnavailable) context.skip(legacyUnavailable);
    const error = await handshakeError(proxy.httpsPort, { ...LEGACY_CLIENT, ca: certs.ca.certPem, servername: 'app.localhost' });
    expect(error.code).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE/);
  });

  it('refuses TLS 1.1 from a client without SNI too (the default certificate path)', async (context) => {
    if (legacyUnavailable) context.skip(legacyUnavailable);
    const error = await handshakeError(proxy.httpsPort, { ...LEGACY_CLIENT, ca: certs.ca.certPem });
    expect(error.code).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE/);
  });

  it.each(['TLSv1.2', 'TLSv1.3'] as const)('serves %s', async (version) => {
    const done = await handshake(proxy.httpsPort, { minVersion: version, maxVersion: version, ca: certs.ca.certPem, servername: 'app.localhost' });
    expect(done.protocol).toBe(version);
    expect(done.authorized).toBe(true);
  });

  it('chooses AES-128-GCM under TLS 1.3 even when the client lists AES-256 first', async () => {
    const clientOrder = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
    const done = await handshake(proxy.httpsPort, { ciphers: clientOrder, ca: certs.ca.certPem, servername: 'app.localhost' });
    expect([done.protocol, done.cipher]).toEqual(['TLSv1.3', 'TLS_AES_128_GCM_SHA256']);
    // A client that offers only AES-256 still gets it.
    const only256 = await handshake(proxy.httpsPort, { ciphers: 'TLS_AES_256_GCM_SHA384', ca: certs.ca.certPem, servername: 'app.localhost' });
    expect(only256.cipher).toBe('TLS_AES_256_GCM_SHA384');
  });

  it('offers h2 and http/1.1 by ALPN, preferring h2', async () => {
    const ask = async (ALPNProtocols: string[]) =>
      (await handshake(proxy.httpsPort, { ALPNProtocols, ca: certs.ca.certPem, servername: 'app.localhost' })).alpn;
    expect(await ask(['h2', 'http/1.1'])).toBe('h2');
    expect(await ask(['http/1.1', 'h2'])).toBe('h2');
    expect(await ask(['http/1.1'])).toBe('http/1.1');
    expect(await ask(['h2'])).toBe('h2');
  });
});
