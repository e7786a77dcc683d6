// Who may talk to the control server: only this machine (loopback bind), only with our
// Host header (no DNS rebinding: evil.com resolving to 127.0.0.1 still sends Host:
// evil.com), only from our own page's Origin (no cross-site requests), only with the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import writeFileAtomic from 'write-file-atomic';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && LOOPBACK_HOSTS.some((name) => host === `${name}:${port}`);
}

/** Requests without Origin (curl, scripts) pass; a browser's must be our own page. */
export function allowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin?.toLowerCase();
  if (origin === undefined) return true;
  return LOOPBACK_HOSTS.some((name) => origin === `http://${name}:${port}`);
}

/** Bearer header for scripts; `?token=` for the browser (WebSockets cannot set headers). */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = req.url?.split('?')[1];
  return query ? (new URLSearchParams(query).get('token') ?? undefined) : undefined;
}

export function tokenMatches(presented: string | undefined, token: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const tokenFile = (dataDir: string): string => path.join(dataDir, 'control-token');

/** The token in `<dataDir>/control-token` (mode 0600), made on first use, kept across runs for scripts. */
export async function loadOrCreateToken(dataDir: string): Promise<string> {
  const file = tokenFile(dataDir);
  try {
    const token = (await readFile(file, 'utf8')).trim();
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
