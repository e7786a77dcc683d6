// One leaf certificate per host name, signed by the root with selfsigned.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';
import type { RootCa } from './root-ca.js';

/** Well under the 397-day ceiling browsers enforce; renewed automatically long before. */
export const LEAF_DAYS = 90;
/** Renew when less than this is left, so a long-running proxy never serves an expired leaf. */
export const RENEW_BEFORE_DAYS = 30;
const DAY = 86_400_000;

export interface Leaf {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

/** Subject alternative names for a host: the name and its direct subdomains; IPs as IPs. */
export function leafNames(host: string): { type: 2 | 7; value?: string; ip?: string }[] {
  if (isIP(host)) return [{ type: 7, ip: host }];
  return [
    { type: 2, value: host },
    { type: 2, value: `*.${host}` },
  ];
}

export async function issueLeaf(ca: RootCa, host: string, now = new Date(), extraNames: string[] = []): Promise<Leaf> {
  const notAfter = new Date(now.getTime() + LEAF_DAYS * DAY);
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    // selfsigned defaults to SHA-1, which every browser rejects.
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    ca: { key: ca.keyPem, cert: ca.certPem },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [host, ...extraNames].flatMap(leafNames) },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private, notAfter };
}

export function needsRenewal(notAfter: Date, now: Date): boolean {
  return notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY;
}

/** Reads a stored leaf back, or undefined if it was not signed by this root. */
export function parseStoredLeaf(pem: string, ca: RootCa): Leaf | undefined {
  const certPem = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/)?.[0];
  const keyPem = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/)?.[0];
  if (!certPem || !keyPem) return undefined;
  const cert = new X509Certificate(certPem);
  if (!cert.checkIssued(ca.cert) || !cert.verify(ca.cert.publicKey)) return undefined;
  return { certPem, keyPem, notAfter: new Date(cert.validTo) };
}
