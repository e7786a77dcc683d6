// `npm run bench`: Portico's engine vs bare http-proxy-3 (keep-alive agent) and, when
// installed, Caddy; same origin, same machine, alternating rounds so drift hits all alike.
// Then HTTP/2 (h2load): Portico vs Caddy over TLS. Prints absolute numbers and the ratios
// with targets. Exits non-zero only when the setup is broken (a proxy that does not return
// the origin's body, non-2xx answers), never for being slow.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasCaddy, startCaddy } from './caddy.js';
import { hasH2load, runH2load } from './h2.js';
import { idleRssReport } from './idle-rss.js';
import { cpuSeconds, pinning, runLoad, startServer, watchForeignCpu } from './procs.js';
import { preflight } from './preflight.js';
import { printH2Report, printReport } from './report.js';
import { startupReport } from './startup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
// The HTTP/2 phase: rounds of h2load against Portico and Caddy over TLS, same concurrency.
const H2_ROUNDS = Number(process.env.BENCH_H2_ROUNDS ?? Math.max(3, Math.ceil(ROUNDS / 2)));
const H2_CLIENTS = Number(process.env.BENCH_H2_CLIENTS ?? 4);
const H2_STREAMS = Number(process.env.BENCH_H2_STREAMS ?? 8);
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
  else chmodSync(path.join(root, 'out/cli/portico.js'), 0o755);
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

/** One h2load run against `target`, with the proxy's CPU time per request. */
async function measureH2(target, seconds) {
  const foreign = watchForeignCpu(ourPids);
  const before = cpuSeconds(target.pid);
  const result = await runH2load({ port: target.port, host: HOST, seconds, clients: H2_CLIENTS, streams: H2_STREAMS });
  const used = cpuSeconds(target.pid) - before;
  result.cpu = used / result.elapsed;
  result.cpuUs = (used * 1e6) / result.requests;
  result.foreign = foreign(result.ownCpu);
  return result;
}

// Who runs: the baseline, and Portico as the app runs it and in the variants the targets
// compare (capture on, HTTPS). BENCH_ONLY=portico,capture narrows it (the baseline stays).
const CONTENDERS = [
  { key: 'bare', name: 'http-proxy-3', script: 'hp3.js' },
  { key: 'portico', name: 'portico', script: 'portico.js' },
  { key: 'capture', name: 'portico+capture', script: 'portico.js', env: { BENCH_CAPTURE: '1' } },
  { key: 'https', name: 'portico https', script: 'portico.js', env: { BENCH_HTTPS: '1' } },
  { key: 'bare-https', name: 'hp3 https', script: 'hp3.js', env: { BENCH_HTTPS: '1' } },
];
const only = process.env.BENCH_ONLY?.split(',');
const picked = CONTENDERS.filter((c) => c.key === 'bare' || !only || only.includes(c.key));
// BENCH_COMPARE_OUT=DIR: every Portico contender picked runs twice in the same rounds, this
// build and the build of proxy-core in DIR (as BENCH_PROXY_CORE_OUT takes it), as `KEY~b`;
// the report adds "this build ÷ DIR" for each. An A/B of a change, interleaved.
const compareOut = process.env.BENCH_COMPARE_OUT && path.resolve(process.env.BENCH_COMPARE_OUT);
const twins = compareOut
  ? picked
      .filter((c) => c.script === 'portico.js')
      .map((c) => ({ ...c, key: `${c.key}~b`, name: `${c.name} B`, env: { ...c.env, BENCH_PROXY_CORE_OUT: compareOut } }))
  : [];
const chosen = [...picked, ...twins];
// BENCH_PROFILE profiles one of them (BENCH_PROFILE_TARGET, default portico).
const profiled = process.env.BENCH_PROFILE_TARGET ?? 'portico';

/** A rotation of the keys per round, so each contender runs first, second… equally often. */
const rotate = (keys, r) => keys.map((_, i) => keys[(i + r) % keys.length]);

async function main() {
  build();
  if (process.env.BENCH_STARTUP !== '0') console.log(`${await startupReport()}\n`);
  if (process.env.BENCH_IDLE_RSS !== '0') console.log(`${await idleRssReport()}\n`);
  const caddy = process.env.BENCH_CADDY !== '0' && hasCaddy();
  const h2load = hasH2load();
  if (!caddy) console.log('caddy is not on PATH (apt-get install caddy): the rows against Caddy are skipped');
  if (!h2load) console.log('h2load is not on PATH (apt-get install nghttp2-client): the HTTP/2 phase is skipped');
  // One data dir for Portico's HTTPS process and its leaf for the host, which Caddy serves too.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const pem = await benchLeaf(dataDir);
  // Portico runs with the V8 flags `portico serve` restarts itself with (cli/v8-flags.ts),
  // so the bench measures what users run; BENCH_V8_DEFAULTS=1 leaves V8's defaults.
  const { SERVE_V8_FLAGS } = await import(pathToFileURL(path.join(root, 'out/proxy-core/cli/v8-flags.js')).href);
  const v8Flags = process.env.BENCH_V8_DEFAULTS === '1' ? [] : SERVE_V8_FLAGS;
  const origin = await startServer('origin', 1, path.join(here, 'origin.js'), [0]);
  const servers = await Promise.all(
    chosen.map((c) => {
      const profile = PROFILE && c.key === profiled ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
      const flags = c.key.startsWith('bare') ? [] : v8Flags;
      return startServer(c.name, 0, path.join(here, c.script), [origin.port], [...flags, ...profile], { ...c.env, BENCH_DATA_DIR: dataDir });
    }),
  );
  const targets = Object.fromEntries(chosen.map((c, i) => [c.key, Object.assign(servers[i], { host: HOST })]));
  const names = Object.fromEntries(chosen.map((c) => [c.key, c.name]));
  let caddyTls;
  if (caddy) {
    const started = await startCaddy({ cpu: 0, originPort: origin.port, pem, dir: dataDir, host: HOST });
    targets.caddy = started.http;
    names.caddy = 'caddy';
    caddyTls = Object.assign(started.https, { ca: targets.https?.ca });
  }
  ourPids = [origin.pid, ...servers.map((s) => s.pid), ...(caddy ? [targets.caddy.pid] : [])];
  await preflight({ proxies: [...servers, ...(caddy ? [targets.caddy] : []), ...(caddyTls?.ca ? [caddyTls] : [])], host: HOST });

  const keys = Object.keys(targets);
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
  const h2 = h2load && targets.https && caddyTls ? await h2Rounds(targets.https, caddyTls) : undefined;
  if (h2load && !h2) console.log(`the HTTP/2 phase needs ${targets.https ? 'Caddy' : "Portico's HTTPS contender"}: skipped`);
  if (PROFILE && targets[profiled]) await stopForProfile(targets[profiled]);
  const valid = printReport({ direct, rounds, names, seconds: SECONDS, pinning });
  const h2Valid = h2 ? printH2Report({ rounds: h2, seconds: SECONDS, clients: H2_CLIENTS, streams: H2_STREAMS }) : true;
  if (!valid || !h2Valid) process.exitCode = 1;
}

/** Portico's leaf for the benchmarked host, issued into `dataDir` (key + certificate in one PEM file). */
async function benchLeaf(dataDir) {
  const out = process.env.BENCH_PROXY_CORE_OUT ?? path.join(root, 'out/proxy-core');
  const { openCertificates, leafDir } = await import(pathToFileURL(path.join(out, 'tls/index.js')).href);
  const { DEFAULT_SUFFIXES } = await import(pathToFileURL(path.join(out, 'contract/ca.js')).href);
  // The suffixes portico.js's config has, so its HTTPS process finds this root as it is.
  const certificates = await openCertificates(dataDir, DEFAULT_SUFFIXES);
  await certificates.store.contextFor(HOST);
  return path.join(leafDir(dataDir), `${HOST}.pem`);
}

/** HTTP/2 rounds, Portico and Caddy back to back in alternating order. */
async function h2Rounds(portico, caddy) {
  const pair = { portico, caddy };
  for (const target of Object.values(pair)) await measureH2(target, 2); // warm-up
  const rounds = { portico: [], caddy: [] };
  for (let r = 0; r < H2_ROUNDS; r++) {
    for (const key of rotate(['portico', 'caddy'], r)) {
      const result = await measureH2(pair[key], SECONDS);
      rounds[key].push(result);
      console.error(
        `h2 round ${r + 1}/${H2_ROUNDS} ${key.padEnd(8)} ${Math.round(result.rps)} req/s  cpu ${Math.round(result.cpu * 100)}%  ${result.cpuUs.toFixed(1)} µs/req  others ${result.foreign.toFixed(2)} CPU`,
      );
    }
  }
  return rounds;
}

main()
  .catch((err) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
