// Serves the built renderer, so the same UI runs in any browser (WSL, remote boxes, tests).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The UI may talk to its own origin (HTTP and WebSocket) and load nothing from elsewhere.
 * (No ws://[::1]:* — Chromium rejects IPv6 literals in CSP sources and logs an error.)
 */
const CSP =
  "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The decoded path, or undefined for malformed percent-encoding (`/%`, `/%zz`, `/%C0`). */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    return undefined;
  }
}

export async function serveStatic(rendererDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = decodedPath(req.url ?? '/');
  // Any web page can make a browser ask for this; a bad escape is the asker's mistake.
  if (pathname === undefined) return badRequest(res);
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = path.resolve(rendererDir, relative);
  // Never outside the renderer's folder, whatever the path says.
  if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return notFound(res);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    return pathname === '/' ? notBuilt(res, rendererDir) : notFound(res);
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': relative === 'index.html' ? 'no-cache' : 'public, max-age=3600',
  });
  createReadStream(file).pipe(res);
}

function badRequest(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('malformed percent-encoding in the path\n');
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

function notBuilt(res: ServerResponse, dir: string): void {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`The UI is not built (${dir} is missing): run npm run build.\n`);
}
