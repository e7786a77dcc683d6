// Reading a stored leaf back and deciding when one is due: node:crypto only, so a start
// that finds its certificates on disk never loads the X.509 writer.
import { X509Certificate } from 'node:crypto';
import type { RootCa } from './root-ca.js';

/** Well under the 397-day ceiling browsers enforce; renewed automatically long before. */
export const LEAF_DAYS = 90;
/** Renew when less than this is left, so a long-running proxy never serves an expired leaf. */
export const RENEW_BEFORE_DAYS = 30;
export const DAY = 86_400_000;

export interface Leaf {
  certPem: string;
  keyPem: string;
  notAfter: Date;
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
