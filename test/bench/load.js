// Load generator child (run pinned to the core the proxy does not use): autocannon for
// the traffic, our own microsecond histogram for latency (autocannon's own histogram
// keeps whole milliseconds, too coarse for a sub-millisecond loopback hop).
// Usage: node load.js '{"url":…,"host":…,"connections":32,"seconds":5}' → one JSON line.
// With "ca" (a PEM) the URL is https with SNI for the host; autocannon itself never
// verifies certificates, so the pre-flight check does that once (preflight.js).
import autocannon from 'autocannon';

const { url, host, ca, connections, seconds } = JSON.parse(process.argv[2]);
const MAX_US = 1_000_000; // anything slower than 1 s lands in the last bucket
const buckets = new Uint32Array(MAX_US + 1);
const status = {};
let count = 0;
let ok = 0;

function percentile(p) {
  const rank = Math.max(1, Math.ceil((p / 100) * ok));
  let seen = 0;
  for (let us = 0; us <= MAX_US; us++) {
    seen += buckets[us];
    if (seen >= rank) return us;
  }
  return MAX_US;
}

const started = process.hrtime.bigint();
const instance = autocannon(
  {
    url,
    connections,
    duration: seconds,
    headers: host ? { host } : {},
    timeout: 10,
    ...(ca && { servername: host, tlsOptions: { ca } }),
  },
  (err, result) => {
    if (err) throw err;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const out = {
      requests: count,
      elapsed,
      rps: count / elapsed,
      p50us: percentile(50),
      p99us: percentile(99),
      non2xx: count - ok,
      errors: result.errors, // timeouts included
      // This process's own CPU time, so the parent can tell ours from other processes' load.
      ownCpu: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      status,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  count++;
  status[statusCode] = (status[statusCode] ?? 0) + 1;
  if (statusCode < 200 || statusCode > 299) return;
  ok++;
  buckets[Math.min(MAX_US, Math.round(responseTime * 1000))]++;
});
