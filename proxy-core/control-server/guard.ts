// Who may talk to the control server: only this machine (loopback bind), only with our
// Host header (no DNS rebinding: evil.com resolving to 127.0.0.1 still sends Host:
// evil.com), only from our own page's Origin (no cross-site requests), only with the token.
import path from 'node:path';
import { loadOrCreateSecretToken } from '../config/secret-token.js';
import type { IncomingMessage } from 'node:http';

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

export { tokensMatch as tokenMatches } from '../config/secret-token.js';

export const tokenFile = (dataDir: string): string => path.join(dataDir, 'control-token');

/** The token in `<dataDir>/control-token` (mode 0600), made on first use, kept across runs for scripts. */
export const loadOrCreateToken = (dataDir: string): Promise<string> => loadOrCreateSecretToken(tokenFile(dataDir));
