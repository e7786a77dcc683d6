// The local root CA: created once per data dir, name-constrained to the dev suffixes, its
// key readable by the user alone. Changing the suffixes rotates it; the old root is kept
// in retired/ so it can still be found and removed from trust stores.
import { webcrypto, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { nameConstraintsExtension } from './name-constraints.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** EC P-256: small keys, fast signatures, accepted by every browser and OS we target. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const ROOT_YEARS = 10;

export interface RootCa {
  certPem: string;
  keyPem: string;
  /** The suffixes its name constraints permit, e.g. ["localhost", "test"]. */
  suffixes: string[];
  cert: X509Certificate;
}

export interface CaFiles {
  dir: string;
  cert: string;
  key: string;
  meta: string;
  retired: string;
}

export function caFiles(dataDir: string): CaFiles {
  const dir = path.join(dataDir, 'ca');
  return {
    dir,
    cert: path.join(dir, 'root.pem'),
    key: path.join(dir, 'root-key.pem'),
    meta: path.join(dir, 'root.json'),
    retired: path.join(dir, 'retired'),
  };
}

function whoAmI(): string {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return os.hostname();
  }
}

/** DER bytes as PEM text with 64-character lines. */
export const toPem = (der: ArrayBuffer, label: string): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;

export async function createRootCa(suffixes: readonly string[], now = new Date()): Promise<RootCa> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const notAfter = new Date(now);
  notAfter.setFullYear(notAfter.getFullYear() + ROOT_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '7'),
    // The user@host unit tells two machines' roots apart in a keychain listing.
    name: [{ CN: ['Portico Development CA'] }, { O: ['Portico'] }, { OU: [whoAmI()] }],
    notBefore: new Date(now.getTime() - 60_000), // tolerate a little clock skew
    notAfter,
    signingAlgorithm: EC_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraintsExtension(suffixes),
    ],
  });
  const certPem = cert.toString('pem') + '\n';
  const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { certPem, keyPem, suffixes: [...suffixes], cert: new X509Certificate(certPem) };
}

const sameSuffixes = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s) => b.includes(s));

async function readExisting(files: CaFiles): Promise<RootCa | undefined> {
  try {
    const [certPem, keyPem, meta] = await Promise.all([readFile(files.cert, 'utf8'), readFile(files.key, 'utf8'), readFile(files.meta, 'utf8')]);
    const { suffixes } = JSON.parse(meta) as { suffixes: string[] };
    return { certPem, keyPem, suffixes, cert: new X509Certificate(certPem) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface LoadedCa {
  ca: RootCa;
  /** Why this root is new, if it is: first run, or the suffixes changed. */
  created?: 'first run' | 'suffixes changed';
}

/**
 * The root for this data dir and these suffixes: the stored one when it matches, else a
 * new one (the previous root moves to retired/, named by its fingerprint).
 */
export async function loadOrCreateRootCa(dataDir: string, suffixes: readonly string[], now = new Date()): Promise<LoadedCa> {
  const files = caFiles(dataDir);
  const existing = await readExisting(files);
  if (existing && sameSuffixes(existing.suffixes, suffixes) && new Date(existing.cert.validTo) > now) {
    // A restore from backup or a copy between machines may have loosened it.
    await chmod(files.key, 0o600);
    return { ca: existing };
  }

  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  if (existing) {
    await mkdir(files.retired, { recursive: true, mode: 0o700 });
    const name = existing.cert.fingerprint256.replaceAll(':', '').slice(0, 16).toLowerCase();
    await rename(files.cert, path.join(files.retired, `${name}.pem`));
  }
  const ca = await createRootCa(suffixes, now);
  // The key first and private from its first byte; the cert last, as the "done" mark.
  await writeFile(files.key, ca.keyPem, { mode: 0o600 });
  await chmod(files.key, 0o600); // mode above applies only to a new file
  await writeFile(files.meta, JSON.stringify({ suffixes: ca.suffixes, created: now.toISOString() }, null, 2) + '\n', { mode: 0o600 });
  await writeFile(files.cert, ca.certPem, { mode: 0o644 });
  return { ca, created: existing ? 'suffixes changed' : 'first run' };
}
