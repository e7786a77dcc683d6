// An engine with traffic rules on HTTP and HTTPS (HTTP/2), and its breakpoint events as a
// queue a test can wait on; plus a backend that echoes what reached it.
import type { BreakpointResumed, Paused, RouteInput, RuleInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { startBackend, type Backend } from './backend.js';
import { makeConfig } from './engine.js';

/** Values pushed by one side, awaited in order by the other. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];
  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }
  next(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined ? Promise.resolve(item) : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface RulesEngine {
  engine: Engine;
  certs: Certificates;
  httpPort: number;
  httpsPort: number;
  paused: Queue<Paused>;
  resumed: Queue<BreakpointResumed>;
  close(): Promise<void>;
}

export async function startRulesEngine(dataDir: string, routes: RouteInput[], rules: RuleInput[], breakpointTimeoutMs?: number): Promise<RulesEngine> {
  const config = makeConfig(routes, { rules });
  const certs = await openCertificates(dataDir, config.ca.suffixes);
  const paused = new Queue<Paused>();
  const resumed = new Queue<BreakpointResumed>();
  const engine = await startEngine({
    config,
    http: { host: '127.0.0.1', port: 0 },
    https: { host: '127.0.0.1', port: 0, certificates: certs.store },
    onBreakpoint: { paused: (p) => paused.push(p), resumed: (r) => resumed.push(r) },
    breakpointTimeoutMs,
  });
  return { engine, certs, httpPort: engine.http.port, httpsPort: engine.https!.port, paused, resumed, close: () => engine.close(100) };
}

/** What an echo backend answers: the request as it arrived. */
export interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A backend answering 200 with JSON describing the request it received. */
export function startEchoBackend(): Promise<Backend> {
  return startBackend('echo', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const echo: Echo = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      res.writeHead(200, { 'content-type': 'application/json', 'x-backend': 'echo' });
      res.end(JSON.stringify(echo));
    });
  });
}
