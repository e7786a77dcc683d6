// HTTPS test helpers: temp data dirs, openssl, an engine with HTTPS, and clients (tls,
// https/1.1, http2, wss) that trust ONLY the root they are given.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http2 from 'node:http2';
import https from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { WebSocket } from 'ws';
import type { ConfigInput, RouteInput } from '../../proxy-core/contract/index.js';
import { startEngine, type Engine } from '../../proxy-core/engine/index.js';
import { openCertificates, type Certificates } from '../../proxy-core/tls/index.js';
import { makeConfig } from './engine.js';

/** A fresh data dir under the OS temp dir; pass the result to `track` with `removeDir`. */
export function tempDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'portico-tls-'));
}

export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages that land in either. */
  output: string;
}

/** Runs `openssl` with these arguments; never rejects on a non-zero exit. */
export function openssl(args: string[]): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error); // openssl missing
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr, output: stdout + stderr });
    });
  });
}

/**
 * DNS for dev hosts without touching /etc/hosts: every name is 127.0.0.1. Handles the
 * `all: true` form Node uses for happy-eyeballs connects.
 */
export const devLookup = ((_hostname: string, options: { all?: boolean } | undefined, callback: (...args: unknown[]) => void) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export interface HttpsEngine {
  engine: Engine;
  certs: Certificates;
  httpPort: number;
  httpsPort: number;
  close(): Promise<void>;
}

/** Certificates in `dataDir` and an engine serving HTTP and HTTPS on 127.0.0.1:0. */
export async function startHttpsEngine(
  dataDir: string,
  routes: RouteInput[],
  extra: Omit<ConfigInput, 'routes'> = {},
  certificates?: Certificates,
): Promise<HttpsEngine> {
  const config = makeConfig(routes, extra);
  const certs = certificates ?? (await openCertificates(dataDir, config.ca.suffixes));
  const engine = await startEngine({
    config,
    http: { host: '127.0.0.1', port: 0 },
    https: { host: '127.0.0.1', port: 0, certificates: certs.store },
  });
  return {
    engine,
    certs,
    httpPort: engine.http.port,
    httpsPort: engine.https!.port,
    close: () => engine.close(100),
  };
}

export interface Handshake {
  protocol: string | null;
  alpn: string | false | null;
  /** The negotiated cipher suite's standard name, e.g. TLS_AES_128_GCM_SHA256. */
  cipher: string | undefined;
  peer: tls.PeerCertificate;
  authorized: boolean;
}

/**
 * One TLS handshake to 127.0.0.1:port, verified against `ca` only (rejectUnauthorized);
 * resolves with what was negotiated, rejects with the TLS error.
 */
export function handshake(port: number, options: tls.ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: true, ...options }, () => {
      const result = {
        protocol: socket.getProtocol(),
        alpn: socket.alpnProtocol,
        cipher: socket.getCipher().standardName,
        peer: socket.getPeerCertificate(),
        authorized: socket.authorized,
      };
      socket.destroy();
      resolve(result);
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/** Resolves with the error a handshake failed with; rejects if it succeeded. */
export async function handshakeError(port: number, options: tls.ConnectionOptions = {}): Promise<NodeJS.ErrnoException> {
  let done: Handshake;
  try {
    done = await handshake(port, options);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error(`expected the handshake to fail, but it succeeded (${done.protocol}, peer ${done.peer.subject?.CN})`);
}

export interface HttpsReply {
  status: number;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  body: string;
  peer: tls.PeerCertificate;
}

export interface HttpsRequestOptions {
  /** The dev host; the client resolves it to 127.0.0.1 and sends it as SNI and Host. */
  host: string;
  ca?: string | undefined;
  path?: string;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string;
}

/** An HTTPS/1.1 request to https://<host>:<port> that trusts only `ca`. */
export function httpsRequest(port: number, options: HttpsRequestOptions): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: options.host,
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        rejectUnauthorized: true,
        lookup: devLookup,
        agent: false,
      },
      (res) => {
        const peer = (res.socket as tls.TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            httpVersion: res.httpVersion,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            peer,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface H2Reply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
  alpnProtocol: string | undefined;
}

export interface H2Client {
  session: http2.ClientHttp2Session;
  request(headers: http2.OutgoingHttpHeaders, body?: string): Promise<H2Reply>;
  close(): Promise<void>;
}

/** An HTTP/2 session to https://<host>:<port>, trusting only `ca`. */
export function connectH2(port: number, host: string, ca: string): Promise<H2Client> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://${host}:${port}`, { ca, rejectUnauthorized: true, lookup: devLookup });
    session.once('error', reject);
    session.once('connect', () => {
      session.off('error', reject);
      session.on('error', () => {});
      resolve({
        session,
        request(headers, body) {
          return new Promise((resolveReply, rejectReply) => {
            const stream = session.request({ ':path': '/', ...headers }, { endStream: body === undefined });
            const chunks: Buffer[] = [];
            let responseHeaders: http2.IncomingHttpHeaders = {};
            stream.on('response', (h) => (responseHeaders = h));
            stream.on('data', (chunk: Buffer) => chunks.push(chunk));
            stream.on('error', rejectReply);
            stream.on('end', () =>
              resolveReply({
                status: Number(responseHeaders[':status']),
                headers: responseHeaders,
                body: Buffer.concat(chunks).toString('utf8'),
                alpnProtocol: session.alpnProtocol,
              }),
            );
            if (body !== undefined) stream.end(body);
          });
        },
        close: () => new Promise<void>((done) => session.close(() => done())),
      });
    });
  });
}

/** A wss:// client to <host>:<port> through the HTTPS listener, trusting only `ca`. */
export function openWss(port: number, host: string, ca: string, pathname = '/'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${host}:${port}${pathname}`, { ca, rejectUnauthorized: true, lookup: devLookup });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export const DAY = 86_400_000;
