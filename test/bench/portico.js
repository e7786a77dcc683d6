// Portico's engine in its own process, with a small but realistic routing table: the
// benchmarked host shares the table with a wildcard, path prefixes and several targets.
// Usage: node portico.js ORIGIN_PORT [LISTEN_PORT]   (also used for run-peers.sh on 9300)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [originPort, listenPort = '0'] = process.argv.slice(2);
const outDir = path.resolve(import.meta.dirname, '../../out/proxy-core');
const load = (rel) => import(pathToFileURL(path.join(process.env.BENCH_PROXY_CORE_OUT ?? outDir, rel)).href);
const { startEngine } = await load('engine/index.js');
const { ConfigSchema } = await load('contract/index.js');

const origin = `http://127.0.0.1:${originPort}`;
// Nothing listens on port 9 (discard): these routes only make the table realistic.
const elsewhere = 'http://127.0.0.1:9';
const config = ConfigSchema.parse({
  http: { port: Number(listenPort) },
  routes: [
    { host: 'shop.localhost', target: elsewhere },
    { host: '*.shop.localhost', pathPrefix: '/api', targets: [elsewhere, 'http://127.0.0.1:10'] },
    { host: 'docs.localhost', target: 'http://localhost:11' },
    { host: 'bench.localhost', pathPrefix: '/admin', target: elsewhere },
    { host: 'bench.localhost', target: origin },
    { host: '*.bench.localhost', target: elsewhere },
    { host: 'api.test', pathPrefix: '/v1', target: elsewhere },
    { host: 'old.localhost', target: elsewhere, enabled: false },
  ],
});
// BENCH_CAPTURE=1: with the traffic inspector's store recording every exchange (the
// default in the app), to measure what capture costs.
let recorder;
if (process.env.BENCH_CAPTURE === '1') {
  const { CaptureStore } = await load('capture/capture-store.js');
  recorder = new CaptureStore(config.capture);
}
const engine = await startEngine({ config, recorder });
console.log(`READY ${engine.http.port}`);
const stop = () => engine.close(1_000).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
