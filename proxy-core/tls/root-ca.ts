// The local root CA: created once per data dir, name-constrained to the dev suffixes, its
// key readable by the user alone. Changing the suffixes rotates it; the old root is kept
// in retired/ so it can still be found and removed from trust stores.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export { EC_P256, toPem } from './pem.js';

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

/** A new root; the X.509 writer is loaded only now, not on every start. */
export async function createRootCa(suffixes: readonly string[], now = new Date()): Promise<RootCa> {
  return (await import('./root-ca-create.js')).createRootCa(suffixes, now);
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
