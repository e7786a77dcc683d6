// The secrets Portico keeps in its data dir (the control token, the LAN token): made once,
// kept across runs so scripts and links already handed out keep working, mode 0600, and
// never in the config file, which people copy and commit. Delete the file to revoke.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** The token in `file`, made on first use. Hex, so it travels in a query string or cookie as is. */
export async function loadOrCreateSecretToken(file: string): Promise<string> {
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{32,}$/.test(token)) {
      await chmod(file, 0o600); // restored from a backup with looser modes: tighten again
      return token;
    }
  } catch {
    // missing or unreadable: make a new one
  }
  await mkdir(path.dirname(file), { recursive: true });
  const token = randomBytes(24).toString('hex');
  await writeFileAtomic(file, token + '\n', { mode: 0o600 });
  return token;
}

/** Constant-time comparison, so a wrong guess says nothing about how close it was. */
export function tokensMatch(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
