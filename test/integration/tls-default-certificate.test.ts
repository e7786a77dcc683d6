// The default certificate (for clients without SNI) is kept on disk between starts, so a
// start does not sign one: reused while the current root signed it and it is not due,
// re-issued when it is due, damaged, or signed by a previous root. Served over real TLS.
import { X509Certificate } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { caFiles, openCertificates, RENEW_BEFORE_DAYS, LEAF_DAYS, type CertificateStore } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { DAY, handshake, removeDir, tempDataDir } from '../helpers/tls.js';

async function serveDefault(store: CertificateStore): Promise<{ port: number; close(): Promise<void> }> {
  const server = tls.createServer({ ...store.defaultCertificate, SNICallback: store.sniCallback }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const fingerprint = (store: CertificateStore) => new X509Certificate(store.defaultCertificate.cert).fingerprint256;
const defaultFile = (dir: string) => path.join(caFiles(dir).dir, 'default-leaf.pem');

describe('default certificate on disk', () => {
  const track = closeAfter('each');

  it('reuses the stored default certificate on the next start, kept private (0600)', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    expect((await stat(defaultFile(dir))).mode & 0o777).toBe(0o600);
    const second = await openCertificates(dir, ['localhost', 'test']);
    expect(fingerprint(second.store)).toBe(fingerprint(first.store));

    // Still a working certificate for a client without SNI, verified against our root.
    const server = track(await serveDefault(second.store));
    const result = await handshake(server.port, { ca: second.ca.certPem, host: '127.0.0.1', servername: '' });
    expect(result.authorized).toBe(true);
    expect(result.peer.fingerprint256).toBe(fingerprint(first.store));
  });

  it('issues a new default certificate when the stored one is due for renewal', async () => {
    const dir = track(await tempDataDir(), removeDir);
    let clock = new Date();
    const first = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
    clock = new Date(clock.getTime() + (LEAF_DAYS - RENEW_BEFORE_DAYS + 1) * DAY);
    const second = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
    expect(fingerprint(second.store)).not.toBe(fingerprint(first.store));
    // The renewed one is stored in turn.
    const third = await openCertificates(dir, ['localhost', 'test'], { now: () => clock });
    expect(fingerprint(third.store)).toBe(fingerprint(second.store));
  });

  it('issues a new default certificate when the stored file is damaged', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    await writeFile(defaultFile(dir), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    const second = await openCertificates(dir, ['localhost', 'test']);
    expect(fingerprint(second.store)).not.toBe(fingerprint(first.store));
    const server = track(await serveDefault(second.store));
    expect((await handshake(server.port, { ca: second.ca.certPem, host: '127.0.0.1', servername: '' })).authorized).toBe(true);
  });

  it('issues a new default certificate when the root rotated (suffixes changed)', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    const second = await openCertificates(dir, ['localhost']);
    expect(second.created).toBe('suffixes changed');
    expect(fingerprint(second.store)).not.toBe(fingerprint(first.store));
    const server = track(await serveDefault(second.store));
    expect((await handshake(server.port, { ca: second.ca.certPem, host: '127.0.0.1', servername: '' })).authorized).toBe(true);
  });
});
