// Leaf certificates as openssl and Node's TLS see them, and proof that the root's name
// constraints are real: a leaf for an outside name signed with the root's own key is
// refused by the verifier, not just by our code.
import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import selfsigned from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueLeaf, LEAF_DAYS, openCertificates, type RootCa } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { DAY, handshake, handshakeError, openssl, removeDir, tempDataDir } from '../helpers/tls.js';

/** A TLS server on 127.0.0.1:0 presenting exactly this certificate and key. */
async function serveLeaf(leaf: { certPem: string; keyPem: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('leaf certificates', () => {
  const track = closeAfter('all');
  let dir: string;
  let ca: RootCa;
  let rootFile: string;

  beforeAll(async () => {
    dir = track(await tempDataDir(), removeDir);
    ({ ca } = await openCertificates(dir, ['localhost', 'test']));
    rootFile = path.join(dir, 'ca', 'root.pem');
  });

  /** Writes a PEM next to the root and returns its path, for openssl. */
  async function pemFile(name: string, pem: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, pem);
    return file;
  }

  it('are issued on demand, stored 0600 as key + cert, and verify against the root with openssl', async () => {
    const certs = await openCertificates(dir, ['localhost', 'test']);
    await certs.store.contextFor('app.localhost');
    const stored = path.join(dir, 'certs', 'app.localhost.pem');
    expect((await stat(stored)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(stored))).mode & 0o077).toBe(0);
    const pem = await readFile(stored, 'utf8');
    expect(pem).toMatch(/-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);

    const verify = await openssl(['verify', '-CAfile', rootFile, stored]);
    expect(verify.output).toContain(`${stored}: OK`);
    expect(verify.code).toBe(0);
  });

  it('are EC P-256 with SHA-256, name the host and its wildcard, serve TLS only, and live at most 397 days', async () => {
    const leaf = await issueLeaf(ca, 'shop.test');
    const { stdout } = await openssl(['x509', '-noout', '-text', '-in', await pemFile('shop.test.crt', leaf.certPem)]);
    expect(stdout.match(/Signature Algorithm: ecdsa-with-SHA256/g)).toHaveLength(2);
    expect(stdout).not.toMatch(/sha1/i);
    expect(stdout).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(stdout).toMatch(/NIST CURVE: P-256/);
    expect(stdout).toMatch(/X509v3 Subject Alternative Name: *\n\s*DNS:shop\.test, DNS:\*\.shop\.test\n/);
    expect(stdout).toMatch(/X509v3 Basic Constraints: critical\n\s*CA:FALSE/);
    expect(stdout).toMatch(/X509v3 Extended Key Usage: *\n\s*TLS Web Server Authentication/);

    const cert = new X509Certificate(leaf.certPem);
    expect(cert.checkIssued(ca.cert)).toBe(true);
    expect(cert.verify(ca.cert.publicKey)).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY;
    expect(days).toBeLessThanOrEqual(397);
    expect(days).toBeGreaterThan(LEAF_DAYS - 1);
    // The certificate holds whole seconds.
    expect(Math.abs(leaf.notAfter.getTime() - Date.parse(cert.validTo))).toBeLessThan(1_000);
  });

  it('carry an Authority Key Identifier, so strict verifiers (openssl -x509_strict, Python 3.13 ssl) accept them', async () => {
    // Python 3.13 turns on VERIFY_X509_STRICT by default; RFC 5280 §4.2.1.1 requires the
    // AKI in every certificate but a self-signed root.
    const leaf = await issueLeaf(ca, 'strict.localhost');
    const file = await pemFile('strict.localhost.crt', leaf.certPem);
    const verify = await openssl(['verify', '-x509_strict', '-CAfile', rootFile, file]);
    expect(verify.output).toContain(`${file}: OK`);
    expect(verify.code).toBe(0);
  });

  it('are not made with selfsigned, because its leaves lack the AKI and fail strict verification', async () => {
    // The product's chosen generator, signing with our root as its README shows. If a
    // future selfsigned writes the AKI, this fails: then leaf.ts can go back to it.
    const made = await selfsigned.generate([{ name: 'commonName', value: 'selfsigned.localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 30 * DAY),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'selfsigned.localhost' }] }],
      ca: { cert: ca.certPem, key: ca.keyPem },
    });
    const file = await pemFile('selfsigned.localhost.crt', made.cert);
    expect(new X509Certificate(made.cert).checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    const strict = await openssl(['verify', '-x509_strict', '-CAfile', rootFile, file]);
    expect(strict.code).not.toBe(0);
    expect(strict.output).toMatch(/authority key identifier/i);
    // Without strict mode the same chain verifies: the missing AKI is the only problem.
    const lax = await openssl(['verify', '-CAfile', rootFile, file]);
    expect(lax.output).toContain(`${file}: OK`);
  });

  it('pass a real TLS handshake that trusts only the root, for the host and a name under it', async () => {
    const leaf = await issueLeaf(ca, 'app.localhost');
    const server = track(await serveLeaf(leaf));
    for (const servername of ['app.localhost', 'api.app.localhost']) {
      const done = await handshake(server.port, { ca: ca.certPem, servername });
      expect(done.authorized).toBe(true);
      expect(done.peer.subjectaltname).toBe('DNS:app.localhost, DNS:*.app.localhost');
    }
  });

  describe('the name constraints are enforced by the verifier', () => {
    // issueLeaf does not check scope, so it signs whatever we ask with the root's key:
    // exactly what a thief holding root-key.pem could do.
    const outside: [string, string][] = [
      ['a real site', 'bank.com'],
      ['a name that merely contains a suffix', 'evil.localhost.com'],
      ['a name ending in a suffix without a dot', 'evillocalhost'],
      ['an address outside 127.0.0.0/8', '192.168.1.5'],
    ];

    it.each(outside)('openssl verify refuses %s (%s)', async (_what, host) => {
      const leaf = await issueLeaf(ca, host);
      const file = await pemFile(`forged-${host}.crt`, leaf.certPem);
      const verify = await openssl(['verify', '-CAfile', rootFile, file]);
      expect(verify.code).not.toBe(0);
      expect(verify.output).toContain('permitted subtree violation');
    });

    it('while names and addresses inside the suffixes verify (the control)', async () => {
      for (const host of ['localhost', 'deep.app.localhost', 'test', 'a.test', '::1']) {
        const leaf = await issueLeaf(ca, host);
        const file = await pemFile(`inside-${host.replaceAll(':', '_')}.crt`, leaf.certPem);
        const verify = await openssl(['verify', '-CAfile', rootFile, file]);
        expect({ host, output: verify.output.trim() }).toEqual({ host, output: `${file}: OK` });
      }
    });

    it('a leaf for a loopback address in 127.0.0.0/8 verifies (IP SAN only; its CN must not be read as a DNS name)', async () => {
      // OpenSSL checks a leaf's CN against the DNS constraints when the leaf has no DNS
      // SAN; a CN of "127.0.0.2" looks like a host name and falls outside "localhost"/"test".
      for (const host of ['127.0.0.1', '127.0.0.2']) {
        const leaf = await issueLeaf(ca, host);
        const file = await pemFile(`inside-${host}.crt`, leaf.certPem);
        const verify = await openssl(['verify', '-CAfile', rootFile, file]);
        expect({ host, output: verify.output.trim() }).toEqual({ host, output: `${file}: OK` });
      }
    });

    it.each(outside.filter(([, host]) => !/^\d/.test(host)))(
      'a Node TLS client trusting only the root refuses the handshake for %s (%s)',
      async (_what, host) => {
        const leaf = await issueLeaf(ca, host);
        const server = track(await serveLeaf(leaf));
        // The name matches the certificate, so only the chain check can refuse it.
        const error = await handshakeError(server.port, { ca: ca.certPem, servername: host });
        expect(error.message).toMatch(/permitted subtree violation/);
        // Without rejectUnauthorized the same client would have accepted the name.
        const lax = await handshake(server.port, { ca: ca.certPem, servername: host, rejectUnauthorized: false });
        expect(lax.authorized).toBe(false);
        expect(String(lax.peer.subjectaltname)).toContain(`DNS:${host}`);
      },
    );
  });
});
