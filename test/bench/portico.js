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
  const { TrafficBatcher } = await load('capture/batcher.js');
  // BENCH_CAPTURE_MAX_EXCHANGES=N: a store of N exchanges instead of the default 50,000.
  // What capture costs is mostly what the store keeps alive: compare N=1 with the default.
  const maxExchanges = Number(process.env.BENCH_CAPTURE_MAX_EXCHANGES) || config.capture.maxExchanges;
  // As in the app: changes are batched into traffic events (here sent nowhere).
  recorder = new CaptureStore({ ...config.capture, maxExchanges }, new TrafficBatcher(() => {}));
}
// BENCH_HTTPS=1: also serve HTTPS (leaves from a fresh CA in a temp data dir) and report
// that port; the CA file goes to the line after READY so the load side can verify.
let https;
let caLine = '';
if (process.env.BENCH_HTTPS === '1') {
  const { mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const { openCertificates } = await load('tls/index.js');
  // BENCH_DATA_DIR: the data dir run.js prepared, whose leaf for the host Caddy serves too.
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
  const certificates = await openCertificates(dataDir, config.ca.suffixes);
  https = { port: 0, certificates: certificates.store };
  caLine = ` CA ${JSON.stringify(certificates.ca.certPem)}`;
}
const engine = await startEngine({ config, recorder, https });
console.log(`READY ${(engine.https ?? engine.http).port}${caLine}`);
const stop = () => engine.close(1_000).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
