// The response deadline (timeouts.responseMs) counts from the moment the request body is
// sent: a slow upload is not a stuck backend, a backend silent after the upload is.
import http from 'node:http';
import { expect, it } from 'vitest';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { closeEngine, startTestEngine } from '../helpers/engine.js';

const closeEach = closeAfter('each');

function slowUpload(port: number, chunks: number, gapMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, method: 'POST', path: '/upload', headers: { host: 'app.localhost' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    let sent = 0;
    const tick = () => {
      if (sent++ === chunks) return void req.end();
      req.write('x'.repeat(1024));
      setTimeout(tick, gapMs);
    };
    tick();
  });
}

it('lets an upload take longer than responseMs, then still enforces it on the answer', async () => {
  const backend = closeEach(
    await startBackend('slow', (req, res) => {
      req.resume();
      req.on('end', () => (req.url === '/upload' ? res.end('got it') : setTimeout(() => res.end('late'), 1_500)));
    }),
  );
  const engine = closeEach(await startTestEngine([{ host: 'app.localhost', target: backend.url }], { timeouts: { responseMs: 300 } }), closeEngine);
  expect(await slowUpload(engine.http.port, 8, 120)).toBe(200); // ~1 s of uploading
  const silent = await new Promise<number>((resolve) =>
    http.get({ port: engine.http.port, path: '/wait', headers: { host: 'app.localhost' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }),
  );
  expect(silent).toBe(504);
});
