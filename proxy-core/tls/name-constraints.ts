// The X.509 name-constraints extension for our root: it may only vouch for the dev
// suffixes and loopback addresses. Neither selfsigned nor @peculiar/x509 has a class for
// it, so we encode the ASN.1 with the schema library @peculiar/x509 itself is built on.
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { x509 } from './x509.js';

export const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** 127.0.0.0/8 and ::1/128: what "this machine" means as an address. */
export const LOOPBACK_RANGES = ['127.0.0.0/8', '::1/128'] as const;

/**
 * Critical, so a verifier that does not understand it must reject the chain rather than
 * ignore it. A dNSName constraint "test" permits "test" and every name under it
 * (RFC 5280 §4.2.1.10).
 */
export function nameConstraintsExtension(suffixes: readonly string[]): x509.Extension {
  const subtrees = [
    ...suffixes.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) })),
    ...LOOPBACK_RANGES.map((iPAddress) => new GeneralSubtree({ base: new GeneralName({ iPAddress }) })),
  ];
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, value);
}

/** The permitted DNS names and IP ranges written in a certificate, for `ca info`. */
export function permittedNames(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(NAME_CONSTRAINTS_OID);
  if (!ext) return [];
  const parsed = AsnConvert.parse(ext.value, NameConstraints);
  return [...(parsed.permittedSubtrees ?? [])].map((s) => s.base.dNSName ?? s.base.iPAddress ?? '?');
}
