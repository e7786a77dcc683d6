// 200 MB each way through the built engine in a child process: bodies stream, RSS stays flat.
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { startBackend, type BackendHandler } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { startEngineProcess } from '../helpers/engineProcess.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const BIG = 200 * MB;
const ALLOWED_GROWTH = 32 * MB;

/** `total` bytes in 64 KiB chunks, produced on demand (nothing held beyond one chunk). */
function body(total: number): Readable {
  const chunk = Buffer.alloc(CHUNK, 'p');
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < total; sent += CHUNK) yield chunk.subarray(0, Math.min(CHUNK, total - sent));
    })(),
    { objectMode: false },
  );
}

/** POST /upload counts what arrives; GET /download?bytes=N streams N bytes with backpressure. */
const sinkAndSource: BackendHandler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://backend');
  if (url.pathname === '/upload') {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes }));
    });
    return;
  }
  req.resume();
  const total = Number(url.searchParams.get('bytes'));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  void pipeline(body(total), res).catch(() => {});
};

function upload(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload', headers: { host: 'big.localhost' }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { bytes: number }).bytes) : reject(new Error(`${res.statusCode}: ${text}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    pipeline(body(bytes), req).catch(reject);
  });
}

function download(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `/download?bytes=${bytes}`, headers: { host: 'big.localhost' }, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => resolve(received));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('streaming bodies through the engine (child process)', () => {
  const track = closeAfter('each');

  it('streams a 200 MB upload and a 200 MB download with RSS growth under 32 MB', { timeout: 180_000 }, async () => {
    const backend = track(await startBackend('big', sinkAndSource));
    const engine = track(await startEngineProcess({ http: { port: 0 }, routes: [{ host: 'big.localhost', target: backend.url }] }));

    // Warm up: load lazy modules, grow the socket buffers and pools to their working size.
    expect(await upload(engine.port, 8 * MB)).toBe(8 * MB);
    expect(await download(engine.port, 8 * MB)).toBe(8 * MB);

    const beforeUpload = await engine.mark();
    expect(await upload(engine.port, BIG)).toBe(BIG);
    const uploadGrowth = (await engine.peak()) - beforeUpload;

    const beforeDownload = await engine.mark();
    expect(await download(engine.port, BIG)).toBe(BIG);
    const downloadGrowth = (await engine.peak()) - beforeDownload;

    expect(uploadGrowth, `upload grew RSS by ${(uploadGrowth / MB).toFixed(1)} MB`).toBeLessThan(ALLOWED_GROWTH);
    expect(downloadGrowth, `download grew RSS by ${(downloadGrowth / MB).toFixed(1)} MB`).toBeLessThan(ALLOWED_GROWTH);
  });
});
