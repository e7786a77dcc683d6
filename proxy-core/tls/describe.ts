// `portico ca info`: what a person needs to recognise our root in a keychain and to find
// its files.
import { X509Certificate as NodeX509 } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { x509 } from './x509.js';
import { permittedNames } from './name-constraints.js';
import { caFiles, type RootCa } from './root-ca.js';

export interface CaDescription {
  subject: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  permitted: string[];
  signature: string;
  files: { cert: string; key: string };
  /** Earlier roots (before a suffix change) that may still sit in trust stores. */
  retired: { file: string; fingerprintSha256: string; subject: string }[];
}

export async function describeCa(dataDir: string, ca: RootCa): Promise<CaDescription> {
  const files = caFiles(dataDir);
  const parsed = new x509.X509Certificate(ca.certPem);
  const retiredFiles = await readdir(files.retired).catch(() => [] as string[]);
  const retired = await Promise.all(
    retiredFiles
      .filter((f) => f.endsWith('.pem'))
      .map(async (f) => {
        const file = path.join(files.retired, f);
        const cert = new NodeX509(await readFile(file, 'utf8'));
        return { file, fingerprintSha256: cert.fingerprint256, subject: cert.subject.replaceAll('\n', ', ') };
      }),
  );
  return {
    subject: ca.cert.subject.replaceAll('\n', ', '),
    fingerprintSha256: ca.cert.fingerprint256,
    notBefore: new Date(ca.cert.validFrom).toISOString(),
    notAfter: new Date(ca.cert.validTo).toISOString(),
    permitted: permittedNames(parsed),
    signature: signatureName(parsed.signatureAlgorithm as { name?: string; hash?: { name?: string } }),
    files: { cert: files.cert, key: files.key },
    retired,
  };
}

/** "ECDSA with SHA-256": the words `openssl x509 -text` would show, roughly. */
function signatureName(alg: { name?: string; hash?: { name?: string } }): string {
  return alg.hash?.name ? `${alg.name} with ${alg.hash.name}` : (alg.name ?? 'unknown');
}
