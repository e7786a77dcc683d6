// One leaf certificate per host name, signed by the root. Written with @peculiar/x509 (the
// library selfsigned wraps) because selfsigned cannot add the Authority Key Identifier,
// which strict verifiers require (Python 3.13 turns X.509 strict mode on by default).
// test/integration/tls-leaves.test.ts proves it against selfsigned itself, so the day
// selfsigned writes the AKI that test fails and this file can go back to it.
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { EC_P256, toPem } from './pem.js';
import type { RootCa } from './root-ca.js';
import { DAY, LEAF_DAYS, type Leaf } from './stored-leaf.js';
import { x509 } from './x509.js';

export { LEAF_DAYS, needsRenewal, parseStoredLeaf, RENEW_BEFORE_DAYS, type Leaf } from './stored-leaf.js';

/** Subject alternative names for a host: the name and its direct subdomains; IPs as IPs. */
export function leafNames(host: string): x509.JsonGeneralName[] {
  if (isIP(host)) return [{ type: 'ip', value: host }];
  return [
    { type: 'dns', value: host },
    { type: 'dns', value: `*.${host}` },
  ];
}

/** The root's key and parsed certificate, imported once per root rather than per leaf. */
const signers = new WeakMap<RootCa, Promise<{ key: webcrypto.CryptoKey; cert: x509.X509Certificate; aki: x509.AuthorityKeyIdentifierExtension }>>();
function signerFor(ca: RootCa) {
  let signer = signers.get(ca);
  if (!signer) {
    signer = (async () => {
      const der = Buffer.from(ca.keyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      const key = await webcrypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
      const cert = new x509.X509Certificate(ca.certPem);
      const aki = await x509.AuthorityKeyIdentifierExtension.create(cert.publicKey);
      return { key, cert, aki };
    })();
    signers.set(ca, signer);
  }
  return signer;
}

export async function issueLeaf(ca: RootCa, host: string, now = new Date(), extraNames: string[] = []): Promise<Leaf> {
  const signer = await signerFor(ca);
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const notAfter = new Date(now.getTime() + LEAF_DAYS * DAY);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '7'),
    // An IP as common name would be checked against the DNS name constraints by OpenSSL
    // and fail; the SAN carries the address, so the CN only has to be readable.
    subject: isIP(host) ? 'CN=Portico loopback certificate' : `CN=${host}`,
    issuer: signer.cert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: EC_P256,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([host, ...extraNames].flatMap(leafNames)),
      signer.aki,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { certPem: cert.toString('pem') + '\n', keyPem, notAfter };
}
