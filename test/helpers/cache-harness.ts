// The cache at its real boundary, for tables of RFC cases: one scripted backend that
// answers each path as the test says (per request, counting what reaches it), one engine
// with the cache on behind HTTP and HTTPS, a clock the test moves forward instead of
// waiting, and a client that speaks HTTP/1.1 or HTTP/2 and reports interim responses too.
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import http2 from 'node:http2';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema, type RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates } from '../../proxy-core/tls/index.js';
import { startBackend, type Backend } from './backend.js';
import { makeConfig } from './engine.js';
import { devLookup, removeDir, tempDataDir } from './tls.js';

export type Protocol = 'HTTP/1.1' | 'HTTP/2';
export const PROTOCOLS: Protocol[] = ['HTTP/1.1', 'HTTP/2'];

/** One backend answer. `date: null` sends no Date at all; otherwise Date reads the test's clock. */
export interface Scripted {
  status?: number;
  headers?: Record<string, string | string[] | number | null>;
  body?: string;
  /** 1xx responses sent before the final one. */
  interim?: { status: number; headers: OutgoingHttpHeaders }[];
  /** Raw bytes instead of an HTTP answer (a body past its Content-Length…). */
  raw?: string;
}
export type Script = (req: http.IncomingMessage, n: number) => Scripted;

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  interim: { status: number; headers: IncomingHttpHeaders }[];
}

/** Hosts of the harness's routes: the cache as configured, and ones with other targeted-field lists. */
export const HOST = 'rfc.localhost';
export const VENDOR_HOST = 'vendor.localhost';
export const NO_TARGETS_HOST = 'untargeted.localhost';
/** A route without the cache: http-proxy-3 writes its responses. */
export const PLAIN_HOST = 'plain.localhost';

export interface CacheHarness {
  /** Sets how `path` is answered (the n-th request to it, from 1). */
  script(path: string, script: Script): void;
  /** Requests of `path` that reached the backend, with their headers. */
  seen(path: string): IncomingHttpHeaders[];
  send(protocol: Protocol, path: string, headers?: Record<string, string>, options?: { method?: string; host?: string }): Promise<Reply>;
  /** The cache mark's reason (`cache-reason`) of the last exchange for `path`. */
  mark(path: string): string;
  /** Time passes for the cache and the backend's Date, without waiting. */
  pass(seconds: number): void;
  now(): number;
  engine: Engine;
  close(): Promise<void>;
}

export async function startCacheHarness(): Promise<CacheHarness> {
  const scripts = new Map<string, Script>();
  const seen = new Map<string, IncomingHttpHeaders[]>();
  let offset = 0;
  const now = () => Date.now() + offset;
  const backend: Backend = await startBackend('scripted', (req, res) => {
    req.resume();
    const path = req.url ?? '/';
    const list = seen.get(path) ?? [];
    list.push(req.headers);
    seen.set(path, list);
    const answer: Scripted = (scripts.get(path) ?? (() => ({ status: 404 })))(req, list.length);
    if (answer.raw !== undefined) {
      res.socket?.end(answer.raw);
      return;
    }
    for (const interim of answer.interim ?? []) {
      if (interim.status === 103) res.writeEarlyHints(interim.headers as Record<string, string>);
      else if (interim.status === 102) res.writeProcessing();
    }
    const headers: OutgoingHttpHeaders = {};
    let date: string | null = new Date(now()).toUTCString();
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      if (name.toLowerCase() === 'date') date = value as string | null;
      else if (value !== null) headers[name] = value as string | string[] | number;
    }
    res.sendDate = false;
    if (date !== null) headers.date = date;
    res.writeHead(answer.status ?? 200, headers);
    res.end(req.method === 'HEAD' ? undefined : (answer.body ?? `${path} #${list.length}`));
  });
  const dir = await tempDataDir();
  const routes: RouteInput[] = [
    { host: HOST, target: backend.url, cache: true },
    { host: VENDOR_HOST, target: backend.url, cache: { targets: ['Vercel-CDN-Cache-Control', 'CDN-Cache-Control'] } },
    { host: NO_TARGETS_HOST, target: backend.url, cache: { targets: [] } },
    { host: PLAIN_HOST, target: backend.url },
  ];
  const config = makeConfig(routes);
  const certs = await openCertificates(dir, config.ca.suffixes);
  const capture = new CaptureStore(CaptureSettingsSchema.parse({}));
  const engine = await startEngine({
    config,
    http: { host: '127.0.0.1', port: 0 },
    https: { host: '127.0.0.1', port: 0, certificates: certs.store },
    recorder: capture,
    clock: now,
  });
  const ca = certs.ca.certPem;
  const sessions = new Map<string, http2.ClientHttp2Session>();
  const session = (host: string) => {
    let s = sessions.get(host);
    if (!s || s.destroyed || s.closed) {
      s = http2.connect(`https://${host}:${engine.https!.port}`, { ca, lookup: devLookup });
      s.on('error', () => {});
      sessions.set(host, s);
    }
    return s;
  };

  function send(protocol: Protocol, path: string, headers: Record<string, string> = {}, options: { method?: string; host?: string } = {}): Promise<Reply> {
    const method = options.method ?? 'GET';
    const host = options.host ?? HOST;
    const interim: Reply['interim'] = [];
    return new Promise((resolve, reject) => {
      if (protocol === 'HTTP/1.1') {
        const req = http.request({ host: '127.0.0.1', port: engine.http.port, path, method, headers: { host, ...headers }, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, interim }));
          res.on('error', reject);
        });
        req.on('information', (info) => interim.push({ status: info.statusCode, headers: info.headers }));
        req.on('error', reject);
        req.end();
        return;
      }
      const stream = session(host).request({ ':method': method, ':path': path, ...headers }, { endStream: true });
      let head: http2.IncomingHttpHeaders = {};
      let body = '';
      stream.setEncoding('utf8');
      stream.on('headers', (h) => interim.push({ status: Number(h[':status']), headers: h }));
      stream.on('response', (h) => (head = h));
      stream.on('data', (c: string) => (body += c));
      stream.on('end', () => resolve({ status: Number(head[':status']), headers: head, body, interim }));
      stream.on('error', reject);
    });
  }

  return {
    script: (path, script) => void scripts.set(path, script),
    seen: (path) => seen.get(path) ?? [],
    send,
    mark: (path) =>
      capture
        .list()
        .filter((x) => x.url === path)
        .map((x) => x.marks['cache-reason'] ?? '')
        .at(-1) ?? '',
    pass: (seconds) => void (offset += seconds * 1000),
    now,
    engine,
    async close() {
      for (const s of sessions.values()) s.destroy();
      await engine.close(100);
      await backend.close();
      await removeDir(dir);
    },
  };
}
