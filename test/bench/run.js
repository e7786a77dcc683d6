// `npm run bench`: Portico's engine vs bare http-proxy-3 (keep-alive agent), same origin,
// same machine, alternating rounds so drift hits both alike. Prints absolute numbers and
// Portico ÷ baseline ratios. Exits non-zero only when the setup is broken (a proxy that
// does not return the origin's body, non-2xx answers), never for being slow.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuSeconds, pinning, runLoad, startServer, watchForeignCpu } from './procs.js';
import { preflight } from './preflight.js';
import { printReport } from './report.js';
import { startupReport } from './startup.js';

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
    return;
  }
  // The bundled `portico` command, whose start-up is measured.
  const rolldown = path.join(root, 'node_modules/rolldown/bin/cli.mjs');
  const bundled = spawnSync(process.execPath, [rolldown, '-c', 'build/rolldown.cli.mjs'], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) console.warn(`warning: bundling the CLI failed; measuring the last bundle in out/cli\n${bundled.stdout}${bundled.stderr}`);
}

let ourPids = [];

/** One load run, plus the proxy's CPU use and how much CPU other processes took meanwhile. */
async function measure(target, connections, seconds) {
  const foreign = watchForeignCpu(ourPids);
  const before = cpuSeconds(target.pid);
  const result = await runLoad({ port: target.port, host: target.host, ca: target.ca, connections, seconds });
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

// Who runs: the baseline, and Portico as the app runs it and in the variants the targets
// compare (capture on, HTTPS). BENCH_ONLY=portico,capture narrows it (the baseline stays).
const CONTENDERS = [
  { key: 'bare', name: 'http-proxy-3', script: 'hp3.js' },
  { key: 'portico', name: 'portico', script: 'portico.js' },
  { key: 'capture', name: 'portico+capture', script: 'portico.js', env: { BENCH_CAPTURE: '1' } },
  { key: 'https', name: 'portico https', script: 'portico.js', env: { BENCH_HTTPS: '1' } },
];
const only = process.env.BENCH_ONLY?.split(',');
const chosen = CONTENDERS.filter((c) => c.key === 'bare' || !only || only.includes(c.key));
// BENCH_PROFILE profiles one of them (BENCH_PROFILE_TARGET, default portico).
const profiled = process.env.BENCH_PROFILE_TARGET ?? 'portico';

/** A rotation of the keys per round, so each contender runs first, second… equally often. */
const rotate = (keys, r) => keys.map((_, i) => keys[(i + r) % keys.length]);

async function main() {
  build();
  if (process.env.BENCH_STARTUP !== '0') console.log(`${await startupReport()}\n`);
  // Portico runs with the V8 flags `portico serve` restarts itself with (cli/v8-flags.ts),
  // so the bench measures what users run; BENCH_V8_DEFAULTS=1 leaves V8's defaults.
  const { SERVE_V8_FLAGS } = await import(pathToFileURL(path.join(root, 'out/proxy-core/cli/v8-flags.js')).href);
  const v8Flags = process.env.BENCH_V8_DEFAULTS === '1' ? [] : SERVE_V8_FLAGS;
  const origin = await startServer('origin', 1, path.join(here, 'origin.js'), [0]);
  const servers = await Promise.all(
    chosen.map((c) => {
      const profile = PROFILE && c.key === profiled ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
      const flags = c.key === 'bare' ? [] : v8Flags;
      return startServer(c.name, 0, path.join(here, c.script), [origin.port], [...flags, ...profile], c.env);
    }),
  );
  const targets = Object.fromEntries(chosen.map((c, i) => [c.key, Object.assign(servers[i], { host: HOST })]));
  ourPids = [origin.pid, ...servers.map((s) => s.pid)];
  await preflight({ proxies: servers, host: HOST });

  const keys = chosen.map((c) => c.key);
  console.error(`warm-up, then ${ROUNDS} round(s) × ${SECONDS} s per measurement; ${pinning}`);
  for (const key of keys) {
    await measure(targets[key], 32, 3);
    await measure(targets[key], 1, 1);
  }
  const direct = { c32: await measure(origin, 32, SECONDS), c1: await measure(origin, 1, SECONDS) };

  // Many short rounds: the host's speed drifts over seconds (even with nothing else running
  // in this machine), so the contenders run back to back — in a rotating order at 32
  // connections, then the reverse at one — and the ratios are taken within each round.
  const rounds = Object.fromEntries(keys.map((key) => [key, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = rotate(keys, r);
    const c32 = {};
    const c1 = {};
    for (const key of order) c32[key] = await measure(targets[key], 32, SECONDS);
    for (const key of [...order].reverse()) c1[key] = await measure(targets[key], 1, SECONDS);
    for (const key of order) {
      rounds[key].push({ c32: c32[key], c1: c1[key] });
      console.error(
        `round ${r + 1}/${ROUNDS} ${targets[key].name.padEnd(15)} ${Math.round(c32[key].rps)} req/s  p50 ${ms(c32[key].p50us)} ms` +
          `  p99 ${ms(c32[key].p99us)} ms  c1-p50 ${ms(c1[key].p50us)} ms  cpu ${Math.round(c32[key].cpu * 100)}%` +
          `  ${c32[key].cpuUs.toFixed(1)} µs/req  others ${c32[key].foreign.toFixed(2)} CPU`,
      );
    }
  }
  if (PROFILE && targets[profiled]) await stopForProfile(targets[profiled]);
  const names = Object.fromEntries(chosen.map((c) => [c.key, c.name]));
  const valid = printReport({ direct, rounds, names, seconds: SECONDS, pinning });
  if (!valid) process.exitCode = 1;
}

main()
  .catch((err) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
