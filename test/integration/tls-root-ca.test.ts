// The local root CA as openssl sees it: name-constrained, CA-only, EC P-256 with SHA-256,
// its key private; reused while the suffixes hold, rotated (old one retired) when they change.
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caFiles, describeCa, openCertificates } from '../../proxy-core/tls/index.js';
import { closeAfter } from '../helpers/cleanup.js';
import { openssl, removeDir, tempDataDir } from '../helpers/tls.js';

/** The lines of one extension's block in `openssl x509 -text` output. */
function extensionBlock(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(`${name}:`));
  if (start < 0) return '';
  const indent = lines[start]!.search(/\S/);
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || line.search(/\S/) <= indent) break;
    body.push(line.trim());
  }
  return [lines[start]!.trim(), ...body].join('\n');
}

describe('root CA', () => {
  const track = closeAfter('each');

  it('is created on first run with critical name constraints, CA-only usage and an ECDSA/SHA-256 signature', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { ca, created } = await openCertificates(dir, ['localhost', 'test']);
    expect(created).toBe('first run');
    const files = caFiles(dir);
    expect(files.cert).toBe(path.join(dir, 'ca', 'root.pem'));
    expect(await readFile(files.cert, 'utf8')).toBe(ca.certPem);

    const { code, stdout } = await openssl(['x509', '-noout', '-text', '-in', files.cert]);
    expect(code).toBe(0);

    expect(extensionBlock(stdout, 'X509v3 Name Constraints')).toBe(
      [
        'X509v3 Name Constraints: critical',
        'Permitted:',
        'DNS:localhost',
        'DNS:test',
        'IP:127.0.0.0/255.0.0.0',
        'IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
      ].join('\n'),
    );
    // Nothing excluded-only: the permitted list is the whole policy.
    expect(stdout).not.toContain('Excluded:');
    expect(extensionBlock(stdout, 'X509v3 Basic Constraints')).toBe('X509v3 Basic Constraints: critical\nCA:TRUE, pathlen:0');
    expect(extensionBlock(stdout, 'X509v3 Key Usage')).toBe('X509v3 Key Usage: critical\nCertificate Sign, CRL Sign');
    // Both the TBS field and the outer signature.
    expect(stdout.match(/Signature Algorithm: ecdsa-with-SHA256/g)).toHaveLength(2);
    expect(stdout).toMatch(/Public Key Algorithm: id-ecPublicKey/);
    expect(stdout).toMatch(/NIST CURVE: P-256/);

    const user = `${os.userInfo().username}@${os.hostname()}`;
    const subject = stdout.match(/Subject: (.*)/)?.[1];
    expect(subject).toContain('CN = Portico Development CA');
    expect(subject).toContain(`OU = ${user}`);
    expect(stdout.match(/Issuer: (.*)/)?.[1]).toBe(subject); // self-signed

    // openssl accepts it as a trust anchor for itself.
    expect((await openssl(['verify', '-CAfile', files.cert, files.cert])).code).toBe(0);
  });

  it('writes the private key readable by the user alone (0600), in a private directory', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { ca } = await openCertificates(dir, ['localhost', 'test']);
    const files = caFiles(dir);
    expect((await stat(files.key)).mode & 0o777).toBe(0o600);
    expect((await stat(files.dir)).mode & 0o077).toBe(0);
    expect(await readFile(files.key, 'utf8')).toBe(ca.keyPem);
    // The key on disk is the root's key.
    const { stdout: fromKey } = await openssl(['pkey', '-in', files.key, '-pubout']);
    const { stdout: fromCert } = await openssl(['x509', '-in', files.cert, '-noout', '-pubkey']);
    expect(fromKey).toBe(fromCert);
  });

  it('is reused when the data dir is opened again with the same suffixes (in any order)', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    const again = await openCertificates(dir, ['test', 'localhost']);
    expect(again.created).toBeUndefined();
    expect(again.ca.cert.fingerprint256).toBe(first.ca.cert.fingerprint256);
    expect(again.ca.keyPem).toBe(first.ca.keyPem);
    expect(await readdir(caFiles(dir).dir)).not.toContain('retired');
  });

  it('rotates when the suffixes change: a new root with the new constraints, the old one kept in retired/ and listed', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const files = caFiles(dir);
    const first = await openCertificates(dir, ['localhost', 'test']);
    const oldFingerprint = first.ca.cert.fingerprint256;

    const rotated = await openCertificates(dir, ['localhost', 'test', 'internal']);
    expect(rotated.created).toBe('suffixes changed');
    expect(rotated.ca.cert.fingerprint256).not.toBe(oldFingerprint);
    expect(rotated.ca.suffixes).toEqual(['localhost', 'test', 'internal']);
    expect(rotated.ca.keyPem).not.toBe(first.ca.keyPem);
    expect((await stat(files.key)).mode & 0o777).toBe(0o600);

    const { stdout } = await openssl(['x509', '-noout', '-text', '-in', files.cert]);
    expect(extensionBlock(stdout, 'X509v3 Name Constraints')).toContain('DNS:internal');

    const fp16 = oldFingerprint.replaceAll(':', '').slice(0, 16).toLowerCase();
    expect(await readdir(files.retired)).toEqual([`${fp16}.pem`]);
    const retiredPem = await readFile(path.join(files.retired, `${fp16}.pem`), 'utf8');
    expect(new X509Certificate(retiredPem).fingerprint256).toBe(oldFingerprint);

    const description = await describeCa(dir, rotated.ca);
    expect(description.fingerprintSha256).toBe(rotated.ca.cert.fingerprint256);
    expect(description.permitted).toEqual(['localhost', 'test', 'internal', '127.0.0.0/8', '::1/128']);
    expect(description.retired).toEqual([
      { file: path.join(files.retired, `${fp16}.pem`), fingerprintSha256: oldFingerprint, subject: expect.stringContaining('Portico Development CA') },
    ]);

    // And the new root is stable from then on.
    const third = await openCertificates(dir, ['localhost', 'test', 'internal']);
    expect(third.created).toBeUndefined();
    expect(third.ca.cert.fingerprint256).toBe(rotated.ca.cert.fingerprint256);
  });

  it('describes itself for `portico ca info`: subject, fingerprint, validity, permitted names, signature, files', async () => {
    const dir = track(await tempDataDir(), removeDir);
    const { ca } = await openCertificates(dir, ['localhost', 'test']);
    const description = await describeCa(dir, ca);
    expect(description.subject).toContain('CN=Portico Development CA');
    expect(description.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new Date(description.notAfter).getTime()).toBeGreaterThan(new Date(description.notBefore).getTime());
    expect(description.signature).toMatch(/ECDSA.*SHA-256/);
    expect(description.files).toEqual({ cert: caFiles(dir).cert, key: caFiles(dir).key });
    expect(description.permitted).toEqual(['localhost', 'test', '127.0.0.0/8', '::1/128']);
    expect(description.retired).toEqual([]);
  });
});
