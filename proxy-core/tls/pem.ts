// Key and certificate text shared by the root and the leaves.

/** EC P-256: small keys, fast signatures, accepted by every browser and OS we target. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** DER bytes as PEM text with 64-character lines. */
export const toPem = (der: ArrayBuffer, label: string): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
