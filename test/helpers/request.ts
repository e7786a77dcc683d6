// A tiny http.request wrapper: sends to the proxy on 127.0.0.1 with any Host header, buffers the reply.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface RequestOptions {
  /** The Host header to send (the dev host, e.g. `shop.localhost` or `shop.localhost:8080`). */
  host?: string;
  path?: string;
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Defaults to a fresh connection per request (`agent: false`). */
  agent?: http.Agent | false;
  /** Address to connect to; 127.0.0.1 by default. */
  address?: string;
  /** Local address to connect from (another loopback address looks like another client). */
  localAddress?: string;
}

export function request(port: number, options: RequestOptions = {}): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = { ...options.headers };
  if (options.host !== undefined) headers.host = options.host;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.address ?? '127.0.0.1',
        port,
        localAddress: options.localAddress,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers,
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Parses a reply's body as JSON (throws with the body in the message if it is not JSON). */
export function jsonOf(reply: Reply): unknown {
  try {
    return JSON.parse(reply.body) as unknown;
  } catch {
    throw new Error(`expected a JSON body, got ${reply.status}: ${reply.body.slice(0, 300)}`);
  }
}

/** One kept-alive client connection at a time, counting how many it had to open. */
export class CountingAgent extends http.Agent {
  created = 0;

  constructor() {
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: import('node:stream').Duplex) => void) {
    this.created += 1;
    return super.createConnection(options, callback);
  }
}
