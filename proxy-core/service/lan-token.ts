// The LAN access token: what another device must show to use a shared route. Made once
// per data dir and kept in `<data dir>/lan-token` (mode 0600), like the control token,
// so links and QR codes already handed out keep working across restarts; never in the
// config file, which people copy and commit. Delete the file to revoke every device.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export const lanTokenFile = (dataDir: string): string => path.join(dataDir, 'lan-token');

export async function loadOrCreateLanToken(dataDir: string): Promise<string> {
  const file = lanTokenFile(dataDir);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    // URL-safe by construction (hex), so it travels in a query string and a cookie as is.
    if (/^[0-9a-f]{32,}$/.test(token)) {
      await chmod(file, 0o600);
      return token;
    }
  } catch {
    // missing or unreadable: make a new one
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(24).toString('hex');
  await writeFileAtomic(file, token + '\n', { mode: 0o600 });
  return token;
}
