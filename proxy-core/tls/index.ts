// Local HTTPS: the name-constrained root CA and per-host leaves on demand.
import path from 'node:path';
import { CertificateStore } from './certificate-store.js';
import { caFiles, loadOrCreateRootCa, type LoadedCa } from './root-ca.js';

export { CertificateStore } from './certificate-store.js';
export { caFiles, createRootCa, loadOrCreateRootCa, type RootCa } from './root-ca.js';
export { LEAF_DAYS, RENEW_BEFORE_DAYS } from './stored-leaf.js';
export type { CaDescription } from './describe.js';

// The X.509 writer and reader load on first use: a start that signs nothing never pays for them.
export const issueLeaf = async (...args: Parameters<typeof import('./leaf.js').issueLeaf>) => (await import('./leaf.js')).issueLeaf(...args);
export const describeCa = async (...args: Parameters<typeof import('./describe.js').describeCa>) => (await import('./describe.js')).describeCa(...args);

export interface Certificates extends LoadedCa {
  store: CertificateStore;
}

/** The root for this data dir (created or rotated as needed) and a leaf store signing with it. */
export async function openCertificates(
  dataDir: string,
  suffixes: readonly string[],
  options: { now?: () => Date; log?: (line: string) => void } = {},
): Promise<Certificates> {
  const loaded = await loadOrCreateRootCa(dataDir, suffixes, options.now?.());
  const store = await CertificateStore.open({
    ca: loaded.ca,
    dir: leafDir(dataDir),
    // Beside the root, not among the leaves: rotating the root invalidates it all the same.
    defaultFile: path.join(caFiles(dataDir).dir, 'default-leaf.pem'),
    ...options,
  });
  return { ...loaded, store };
}

/** Leaves live apart from the root, so rotating the root never reuses an old leaf. */
export function leafDir(dataDir: string): string {
  return path.join(caFiles(dataDir).dir, '..', 'certs');
}
