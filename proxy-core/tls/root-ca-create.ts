// Making a new root: the only part of the root's life that needs the X.509 writer.
import { webcrypto, X509Certificate } from 'node:crypto';
import os from 'node:os';
import { nameConstraintsExtension } from './name-constraints.js';
import { EC_P256, toPem } from './pem.js';
import type { RootCa } from './root-ca.js';
import { x509 } from './x509.js';

const ROOT_YEARS = 10;

function whoAmI(): string {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return os.hostname();
  }
}

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
