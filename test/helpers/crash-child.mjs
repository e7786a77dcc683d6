// The BUILT engine in its own process with the last-resort policy installed, and two ways
// to throw while a request is handled: the capture recorder throws when it meets
// /throw-in-handler (inside Portico's request handler), and the in-process backend throws
// from a later tick after answering /throw-later (nothing can catch that one but the
// process-wide policy). Prints {"port":N} once listening; logs go to stderr.
import http from 'node:http';

const out = new URL('../../out/proxy-core/', import.meta.url);
const { startEngine, installLastResort } = await import(new URL('engine/index.js', out).href);
const { ConfigSchema } = await import(new URL('contract/index.js', out).href);

const log = (line) => process.stderr.write(`${line}\n`);
installLastResort(log);

const backend = http.createServer((req, res) => {
  res.end(`backend ${req.url}`);
  if (req.url === '/throw-later')
    setImmediate(() => {
      throw new Error('injected throw after answering');
    });
  if (req.url === '/reject-later') void Promise.reject(new Error('injected rejection'));
});
await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));

const recorder = {
  active: true,
  begin(start) {
    if (start.url.includes('/throw-in-handler')) throw new Error('injected throw in the request handler');
    return undefined;
  },
};
const engine = await startEngine({
  config: ConfigSchema.parse({ routes: [{ host: 'shop.localhost', target: `http://127.0.0.1:${backend.address().port}` }] }),
  http: { host: '127.0.0.1', port: 0 },
  recorder,
  log,
});
process.stdout.write(`${JSON.stringify({ port: engine.http.port })}\n`);
