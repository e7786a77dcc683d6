// Start-up speed of the `portico` command, as ratios against bare Node on the same machine
// in the same run (alternating, medians of STARTUP_RUNS each):
//   portico --version          ÷ node -e 0                         target ≤ 1.5
//   portico run --help         ÷ node -e 0                         target ≤ 1.5
//   portico serve → first 200  ÷ a bare Node HTTP server → first 200  target ≤ 3
//   portico run: its child starts later than the same child run directly by ≤ 300 ms
//     (a Portico already running, as on every run but the first of the day)
// Run alone with `npm run bench:startup`; `npm run bench` prints it first (BENCH_STARTUP=0 skips it).
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { env, node, portico, serveSetup } from './portico-cli.js';

const RUNS = Number(process.env.STARTUP_RUNS ?? 15);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Wall time of a command run to its end, in ms. */
function timed([file, args]) {
  const start = performance.now();
  const result = spawnSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return performance.now() - start;
}

/** GET / with a Host header until the first 200; resolves with when it came. */
function firstOk(port, host) {
  return new Promise((resolve) => {
    const attempt = () => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now()) : setTimeout(attempt, 2)));
      });
      req.on('error', () => setTimeout(attempt, 2));
    };
    attempt();
  });
}

/** Spawns, waits for a port on stdout (first number after `pattern`), then for the first 200 through it. */
function startToFirst200([file, args], pattern, host) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let asked = false;
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = pattern.exec(out)?.[1];
      if (port === undefined || asked) return;
      asked = true;
      void firstOk(Number(port), host).then((at) => {
        child.once('exit', () => resolve(at - start));
        child.kill('SIGKILL');
      });
    });
    child.once('exit', (code) => {
      if (!asked) reject(new Error(`${args.join(' ')} exited ${code}: ${out}${err}`));
    });
  });
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });`;

/** ms from spawning `portico run -- node -e <print time>` (or that node directly) to the child's first line of JS. */
function childStartDelay(viaRun, dataDir) {
  return new Promise((resolve, reject) => {
    const childArgs = ['-e', 'console.log("T " + (performance.timeOrigin + performance.now()))'];
    const [file, args] = viaRun ? portico(['run', '--data-dir', dataDir, '--name', 'startup-bench', '--', node, ...childArgs]) : [node, childArgs];
    const start = performance.timeOrigin + performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      const at = /^T ([\d.]+)$/m.exec(out)?.[1];
      if (code !== 0 || at === undefined) reject(new Error(`exit ${code}: ${out}${err}`));
      else resolve(Number(at) - start);
    });
  });
}

export async function startupReport() {
  const setup = await serveSetup('portico-startup-');
  const { dataDir, route } = setup;
  const serve = portico(['serve', '--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--route', route]);
  const samples = { bare: [], version: [], runHelp: [], bareServer: [], serve: [], direct: [], viaRun: [] };
  try {
    // Warm-up: the CA is made on the first serve, and Node's compile cache filled.
    timed(portico(['--version']));
    timed(portico(['run', '--help']));
    await startToFirst200(serve, /^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m, 'bench.localhost');
    for (let i = 0; i < RUNS; i++) {
      samples.bare.push(timed([node, ['-e', '0']]));
      samples.version.push(timed(portico(['--version'])));
      samples.runHelp.push(timed(portico(['run', '--help'])));
      samples.bareServer.push(await startToFirst200([node, ['-e', BARE_SERVER]], /^PORT (\d+)$/m, '127.0.0.1'));
      samples.serve.push(await startToFirst200(serve, /^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m, 'bench.localhost'));
    }
    // `portico run` against a running Portico (the first run starts one in the background).
    await childStartDelay(true, dataDir);
    for (let i = 0; i < RUNS; i++) {
      samples.direct.push(await childStartDelay(false, dataDir));
      samples.viaRun.push(await childStartDelay(true, dataDir));
    }
  } finally {
    spawnSync(...portico(['stop', '--data-dir', dataDir]), { env });
    setup.close();
  }
  const m = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)]));
  const rows = [
    ['portico --version ÷ node -e 0', m.version / m.bare, 1.5, `${m.version.toFixed(0)} ms vs ${m.bare.toFixed(0)} ms`],
    ['portico run --help ÷ node -e 0', m.runHelp / m.bare, 1.5, `${m.runHelp.toFixed(0)} ms vs ${m.bare.toFixed(0)} ms`],
    ['serve → first 200 ÷ bare server → first 200', m.serve / m.bareServer, 3, `${m.serve.toFixed(0)} ms vs ${m.bareServer.toFixed(0)} ms`],
  ];
  const added = m.viaRun - m.direct;
  const lines = [`start-up (medians of ${RUNS} runs)`];
  for (const [name, ratio, target, detail] of rows) {
    lines.push(`  ${name.padEnd(46)} ${ratio.toFixed(2).padStart(5)}  target ≤ ${target}  ${ratio <= target ? 'PASS' : 'MISS'}  (${detail})`);
  }
  lines.push(
    `  ${'portico run: child starts later by'.padEnd(46)} ${added.toFixed(0).padStart(5)} ms  target ≤ 300 ms  ${added <= 300 ? 'PASS' : 'MISS'}  (${m.viaRun.toFixed(0)} ms vs ${m.direct.toFixed(0)} ms)`,
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startupReport().then(
    (report) => console.log(report),
    (error) => {
      console.error(`startup bench failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
