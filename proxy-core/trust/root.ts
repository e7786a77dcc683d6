// The facts about a root certificate that trust stores match on.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TrustRoot } from './types.js';

export function trustRootFromPem(file: string, pem: string): TrustRoot {
  const cert = new X509Certificate(pem);
  const commonName = /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? 'Portico Development CA';
  const sha256 = cert.fingerprint256;
  return {
    file,
    pem,
    sha1: cert.fingerprint,
    sha256,
    serial: cert.serialNumber.toUpperCase(),
    commonName,
    // The fingerprint tells this root from an earlier (retired) one with the same name.
    nickname: `${commonName} ${sha256.replaceAll(':', '').slice(0, 12).toLowerCase()}`,
  };
}

export async function readTrustRoot(file: string): Promise<TrustRoot> {
  return trustRootFromPem(file, await readFile(file, 'utf8'));
}

/** Every certificate in a PEM bundle, as DER, for "is our root in this bundle?". */
export function pemBlocks(text: string): Buffer[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => Buffer.from(b.replace(/-----[A-Z ]+-----|\s+/g, ''), 'base64'));
}

export function bundleHolds(bundleText: string, root: TrustRoot): boolean {
  const der = pemBlocks(root.pem)[0];
  return der !== undefined && pemBlocks(bundleText).some((b) => b.equals(der));
}

/** A file name safe on every OS, unique per root: "portico-<fingerprint prefix>". */
export function rootFileStem(root: TrustRoot): string {
  return `portico-${root.sha256.replaceAll(':', '').slice(0, 16).toLowerCase()}`;
}
