// First-request certificate issuance: how long a new dev host waits for its leaf.
// `node test/bench/certs.js` (after `npm run build`). Prints medians; the target is
// issuance ≤ 25 ms median on these machines, and a first TLS handshake (issuing) next to
// a repeat handshake (cached) as a ratio measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { issueLeaf, openCertificates } from '../../out/proxy-core/tls/index.js';
import { startEngine } from '../../out/proxy-core/engine/index.js';
import { ConfigSchema } from '../../out/proxy-core/contract/index.js';

const N = Number(process.env.BENCH_CERTS ?? 60);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

const dir = await mkdtemp(path.join(os.tmpdir(), 'portico-bench-certs-'));
try {
  const certs = await openCertificates(dir, ['localhost', 'test']);
  for (let i = 0; i < 5; i++) await issueLeaf(certs.ca, `warm${i}.localhost`); // JIT, key import

  const issue = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await issueLeaf(certs.ca, `host${i}.localhost`);
    issue.push(performance.now() - t);
  }

  const engine = await startEngine({
    config: ConfigSchema.parse({ routes: [] }),
    http: { port: 0 },
    https: { port: 0, certificates: certs.store },
  });
  const handshake = (servername) =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const socket = tls.connect({ port: engine.https.port, host: '127.0.0.1', servername, ca: certs.ca.certPem }, () => {
        const ms = performance.now() - t;
        socket.end();
        resolve(ms);
      });
      socket.on('error', reject);
    });
  const first = [];
  const repeat = [];
  for (let i = 0; i < N; i++) {
    const name = `site${i}.localhost`;
    first.push(await handshake(name)); // issues (and writes) the leaf
    repeat.push(await handshake(name)); // from memory
  }
  await engine.close(0);

  const f = (ms) => `${ms.toFixed(2)} ms`;
  console.log(
    `leaf issuance (EC P-256, SHA-256), ${N} hosts: median ${f(median(issue))}, p90 ${f(p90(issue))}  target ≤ 25 ms median: ${median(issue) <= 25 ? 'PASS' : 'ABOVE'}`,
  );
  console.log(
    `TLS handshake, new host (issues): median ${f(median(first))}; same host again (cached): median ${f(median(repeat))}; ratio ${(median(first) / median(repeat)).toFixed(2)}x`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
