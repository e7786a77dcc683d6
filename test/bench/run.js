// `npm run bench`: Portico's engine vs bare http-proxy-3 (keep-alive agent), same origin,
// same machine, alternating rounds so drift hits both alike. Prints absolute numbers and
// Portico ÷ baseline ratios. Exits non-zero only when the setup is broken (a proxy that
// does not return the origin's body, non-2xx answers), never for being slow.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cpuSeconds, pinning, runLoad, startServer, watchForeignCpu } from './procs.js';
import { preflight } from './preflight.js';
import { printReport } from './report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
// BENCH_PROFILE=DIR: Portico runs under --cpu-prof and writes its profile to DIR on exit.
const PROFILE = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
const HOST = 'bench.localhost';
const here = import.meta.dirname;
const root = path.resolve(here, '../..');

function build() {
  if (process.env.BENCH_NO_BUILD || process.env.BENCH_PROXY_CORE_OUT) return;
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'proxy-core'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    console.warn(`warning: tsc -b proxy-core failed; benchmarking the last build in out/\n${result.stdout}${result.stderr}`);
  }
}

let ourPids = [];

/** One load run, plus the proxy's CPU use and how much CPU other processes took meanwhile. */
async function measure(target, connections, seconds) {
  const foreign = watchForeignCpu(ourPids);
  const before = cpuSeconds(target.pid);
  const result = await runLoad({ port: target.port, host: target.host, connections, seconds });
  // The proxy idles while the load child starts, so the CPU time is all this run's work.
  const used = cpuSeconds(target.pid) - before;
  result.cpu = used / result.elapsed;
  result.cpuUs = (used * 1e6) / result.requests;
  result.foreign = foreign(result.ownCpu);
  return result;
}

/** --cpu-prof writes on a clean exit only: ask Portico to close, and wait for it. */
function stopForProfile(target) {
  return new Promise((resolve) => {
    target.child.once('exit', () => {
      console.error(`Portico CPU profile written to ${PROFILE}; summarize: node test/bench/profile-top.js ${PROFILE}`);
      resolve();
    });
    target.child.kill('SIGTERM');
  });
}

const ms = (us) => (us / 1000).toFixed(3);

async function main() {
  build();
  const origin = await startServer('origin', 1, path.join(here, 'origin.js'), [0]);
  const [bare, portico] = await Promise.all([
    startServer('http-proxy-3', 0, path.join(here, 'hp3.js'), [origin.port]),
    startServer('portico', 0, path.join(here, 'portico.js'), [origin.port], PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []),
  ]);
  bare.host = portico.host = HOST;
  ourPids = [origin.pid, bare.pid, portico.pid];
  await preflight({ bare, portico, host: HOST });

  console.error(`warm-up, then ${ROUNDS} round(s) × ${SECONDS} s per measurement; ${pinning}`);
  for (const t of [bare, portico]) {
    await measure(t, 32, 3);
    await measure(t, 1, 1);
  }
  const direct = { c32: await measure(origin, 32, SECONDS), c1: await measure(origin, 1, SECONDS) };

  // Many short rounds: the host's speed drifts over seconds (even with nothing else running
  // in this machine), so each pair runs back to back — A B at 32 connections, then B A at
  // one — and the order flips every round.
  const rounds = { bare: [], portico: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['bare', 'portico'] : ['portico', 'bare'];
    const targets = { bare, portico };
    const c32 = {};
    const c1 = {};
    for (const key of order) c32[key] = await measure(targets[key], 32, SECONDS);
    for (const key of [...order].reverse()) c1[key] = await measure(targets[key], 1, SECONDS);
    for (const key of order) {
      rounds[key].push({ c32: c32[key], c1: c1[key] });
      console.error(
        `round ${r + 1}/${ROUNDS} ${targets[key].name.padEnd(13)} ${Math.round(c32[key].rps)} req/s  p50 ${ms(c32[key].p50us)} ms` +
          `  p99 ${ms(c32[key].p99us)} ms  c1-p50 ${ms(c1[key].p50us)} ms  cpu ${Math.round(c32[key].cpu * 100)}%` +
          `  ${c32[key].cpuUs.toFixed(1)} µs/req  others ${c32[key].foreign.toFixed(2)} CPU`,
      );
    }
  }
  if (PROFILE) await stopForProfile(portico);
  const valid = printReport({ direct, rounds, seconds: SECONDS, pinning });
  if (!valid) process.exitCode = 1;
}

main()
  .catch((err) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
