// The soak's engine: the BUILT engine in its own process (so the driver's own memory does
// not count), HTTP and HTTPS with a CA in a temp dir, capture on with its batched traffic
// events serialized as the UI channel would. Started with --expose-gc.
// argv[2]: the config as JSON. Prints {"httpPort","httpsPort","ca"} once listening, then
// answers stdin lines: "sample" → {"rss":N,"heap":N,"heapTotal":N} (after a GC), "close" → exits 0.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('soak-engine.mjs must run with --expose-gc');

const out = new URL('../../out/proxy-core/', import.meta.url);
const { startEngine } = await import(new URL('engine/index.js', out).href);
const { ConfigSchema } = await import(new URL('contract/index.js', out).href);
const { openCertificates } = await import(new URL('tls/index.js', out).href);
const { CaptureStore } = await import(new URL('capture/capture-store.js', out).href);
const { TrafficBatcher } = await import(new URL('capture/batcher.js', out).href);
const { collectGarbageWhenIdle } = await import(new URL('system/idle-garbage.js', out).href);

const config = ConfigSchema.parse(JSON.parse(process.argv[2]));
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portico-soak-'));
const certificates = await openCertificates(dataDir, config.ca.suffixes);
let eventBytes = 0;
const batcher = new TrafficBatcher((payload) => (eventBytes += JSON.stringify(payload).length));
const store = new CaptureStore(config.capture, batcher);
const engine = await startEngine({
  config,
  recorder: store,
  http: { host: '127.0.0.1', port: 0 },
  https: { host: '127.0.0.1', port: 0, certificates: certificates.store },
});

// As `portico serve` does: memory goes back once traffic is quiet.
collectGarbageWhenIdle();

const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ httpPort: engine.http.port, httpsPort: engine.https.port, ca: certificates.ca.certPem });

const commands = createInterface({ input: process.stdin });
// The driver is gone (killed, or a test timed out): do not linger.
commands.on('close', () => process.exit(0));
commands.on('line', async (line) => {
  if (line === 'sample') {
    gc();
    // The JS heap beside the RSS: a growth in one and not the other says where to look.
    // The heap V8 holds (young generation included) beside what it uses: with V8's defaults
    // (`--v8-defaults`) a big machine's young generation grows large and the RSS shows it.
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    const { exchanges, heldBytes } = store.stats();
    reply({ rss, heap: heapUsed, heapTotal, captured: exchanges, archiveMB: Math.round(heldBytes / 1e5) / 10, eventBytes });
  } else if (line === 'close') {
    await engine.close(100);
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
});
