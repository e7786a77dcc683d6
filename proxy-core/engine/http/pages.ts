// The pages Portico answers with itself: unknown host, bad gateway, refused requests.
// HTML for browsers, JSON for clients that ask for it.
import type { IncomingMessage, ServerResponse } from 'node:http';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('json') && !accept.includes('text/html');
}

export interface Page {
  status: number;
  title: string;
  /** Plain sentences; escaped on the way into HTML. */
  message: string;
  /** Extra fields for the JSON form (and the host list for the HTML form). */
  details?: Record<string, unknown>;
  /** Hosts to list as links, with the origin scheme and port to build them. */
  links?: { label: string; href?: string }[];
  /** Extra response headers (Retry-After, WWW-Authenticate…). */
  headers?: Record<string, string | number> | undefined;
}

function html(page: Page): string {
  const list = page.links?.length
    ? `<h2>Configured hosts</h2><ul>${page.links
        .map((l) => (l.href ? `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>` : `<li>${escapeHtml(l.label)}</li>`))
        .join('')}</ul>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${page.status} ${escapeHtml(page.title)} · Portico</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#222}
@media(prefers-color-scheme:dark){body{background:#1b1b1d;color:#ddd}a{color:#8ab4f8}}code{font-size:90%}</style></head>
<body><h1>${page.status} · ${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p>${list}<p><small>Portico</small></p></body></html>\n`;
}

export function sendPage(req: IncomingMessage, res: ServerResponse, page: Page): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = wantsJson(req);
  const body = json ? JSON.stringify({ error: page.title, message: page.message, ...page.details }) + '\n' : html(page);
  res.writeHead(page.status, {
    ...page.headers,
    'content-type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-portico': 'page',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** For sockets that never became an HTTP response (upgrades, CONNECT). */
export function writeRawStatus(
  socket: { write(s: string): unknown; end(): unknown },
  status: number,
  reason: string,
  message: string,
  headers: Record<string, string | number> = {},
): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\nConnection: close\r\n\r\n${message}\n`,
  );
  socket.end();
}
