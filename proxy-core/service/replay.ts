// Sends a captured request again through Portico's own listener, the way the client sent
// it: over HTTP/2 when it came over HTTP/2, and with no body framing the original lacked
// (a GET that had no content-length gets none, not "content-length: 0").
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { REPLAY_HEADER, type Exchange, type HeaderPairs } from '../contract/index.js';

export { REPLAY_HEADER };

export interface ReplayRequest {
  original: Exchange;
  method: string;
  url: string;
  headers: HeaderPairs;
  body: Buffer;
  /** Where Portico listens; https undefined when it does not. */
  ports: { http: number; https: number | undefined };
  ca: string;
}

/** Framing and pseudo-headers are the transport's own: Node writes them for the protocol used. */
const TRANSPORT = /^(content-length|transfer-encoding|connection|keep-alive|upgrade|host|:.*)$/i;

export function replayRequest(r: ReplayRequest): Promise<number> {
  const headers = r.headers.filter(([name]) => !TRANSPORT.test(name));
  const hadLength = r.original.requestHeaders.some(([name]) => /^content-length$/i.test(name));
  const framing: HeaderPairs = r.body.length > 0 || hadLength ? [['content-length', String(r.body.length)]] : [];
  const extra: HeaderPairs = [[REPLAY_HEADER, r.original.id], ...framing];
  const secure = r.original.scheme === 'https' && r.ports.https !== undefined;
  const servername = r.original.host.replace(/:\d+$/, '');
  if (secure && r.original.httpVersion.startsWith('2')) return overHttp2(r, [...headers, ...extra], r.ports.https!, servername);
  return new Promise<number>((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        host: '127.0.0.1',
        port: secure ? r.ports.https : r.ports.http,
        method: r.method,
        path: r.url,
        headers: [...headers.flat(), 'host', r.original.host, ...extra.flat()],
        servername,
        ca: r.ca,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(r.body);
  });
}

function overHttp2(r: ReplayRequest, headers: HeaderPairs, port: number, servername: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const session = http2.connect(`https://${r.original.host}`, {
      createConnection: () => tls.connect({ host: '127.0.0.1', port, servername, ca: r.ca, ALPNProtocols: ['h2'] }),
    });
    session.on('error', reject);
    const outgoing: http2.OutgoingHttpHeaders = { ':method': r.method, ':path': r.url, ':authority': r.original.host, ':scheme': 'https' };
    for (const [name, value] of headers) {
      const key = name.toLowerCase();
      const earlier = outgoing[key];
      outgoing[key] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [String(earlier), value];
    }
    const stream = session.request(outgoing, { endStream: r.body.length === 0 });
    let status = 0;
    stream.on('response', (head) => (status = Number(head[':status'] ?? 0)));
    stream.on('error', (error) => {
      session.close();
      reject(error);
    });
    stream.on('end', () => {
      session.close();
      resolve(status);
    });
    stream.resume();
    if (r.body.length > 0) stream.end(r.body);
  });
}
