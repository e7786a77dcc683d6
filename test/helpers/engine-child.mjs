// Runs the BUILT engine in its own process so a test can watch its memory.
// Started with --expose-gc. argv[2]: the config as JSON. Prints {"port":N} once listening,
// then answers stdin lines:
//   "mark"  → {"rss":N}            (starts a new peak window at the current RSS)
//   "peak"  → {"rss":N,"peak":N}   (highest RSS sampled since the last mark)
//   "close" → closes the engine and exits 0
//
// Every sample runs a GC first. Without it V8 frees socket buffers (external memory) only
// when ~64 MB of them pile up, so even a perfectly streaming proxy shows 40-50 MB of
// garbage; with it, RSS tracks what the engine actually holds (bare http-proxy-3 ~10-15 MB,
// a buffering proxy hundreds).
import { createInterface } from 'node:readline';

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('engine-child.mjs must run with --expose-gc');

const out = new URL('../../out/proxy-core/', import.meta.url);
const { startEngine } = await import(new URL('engine/index.js', out).href);
const { ConfigSchema } = await import(new URL('contract/index.js', out).href);

const engine = await startEngine({
  config: ConfigSchema.parse(JSON.parse(process.argv[2])),
  http: { host: '127.0.0.1', port: 0 },
});

let peak = 0;
const sample = () => {
  gc();
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
  return rss;
};
setInterval(sample, 50).unref();

const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ port: engine.http.port });

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line === 'mark') {
    peak = 0;
    reply({ rss: sample() });
  } else if (line === 'peak') {
    reply({ rss: sample(), peak });
  } else if (line === 'close') {
    await engine.close(100);
    process.exit(0);
  }
});
