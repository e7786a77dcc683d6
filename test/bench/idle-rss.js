// Idle memory of `portico serve` as users run it (the bundled out/cli/portico.js, with its
// own V8 flags): resident set size after start-up and one proxied request, once things
// settle (the CA already made, as on every start but the first), against a bare Node HTTP server measured the same way. Target: ≤ 70 MB.
// Alone: `node test/bench/idle-rss.js`; `npm run bench` prints it (BENCH_IDLE_RSS=0 skips it).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { env, node, portico, serveSetup } from './portico-cli.js';

const SETTLE_MS = Number(process.env.IDLE_RSS_SETTLE_MS ?? 3_000);
export const IDLE_RSS_TARGET_MB = 70;

/** Resident set size of a process in MB, from /proc (NaN where there is none). */
export function rssMb(pid) {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

function get(port, host) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
  });
}

/** Starts `file args`, waits for the port (first number after `pattern`), one 200 through it, then settles; resolves to its RSS. */
function idleRss(file, args, pattern, host, settleMs = SETTLE_MS) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let asked = false;
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      const port = pattern.exec(out)?.[1];
      if (port === undefined || asked) return;
      asked = true;
      try {
        const status = await get(Number(port), host);
        if (status !== 200) throw new Error(`first request answered ${status}`);
        await sleep(settleMs);
        resolve(rssMb(child.pid));
      } catch (error) {
        reject(error);
      } finally {
        child.kill('SIGKILL');
      }
    });
    child.once('exit', (code) => {
      if (!asked) reject(new Error(`${args.join(' ')} exited ${code}: ${out}${err}`));
    });
  });
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });`;

export async function idleRssReport() {
  const setup = await serveSetup('portico-idle-');
  const { dataDir, route } = setup;
  const serveArgs = ['serve', '--data-dir', dataDir, '--http-port', '0', '--https-port', '0', '--control-port', '0', '--route', route];
  const [file, args] = portico(serveArgs);
  try {
    // The first serve makes the CA and the default certificate (loading the X.509 writer);
    // every later start, the one measured, finds them on disk, as users' starts do.
    await idleRss(file, args, /^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m, 'bench.localhost', 0);
    const serve = await idleRss(file, args, /^HTTP +http:\/\/127\.0\.0\.1:(\d+)$/m, 'bench.localhost');
    const bare = await idleRss(node, ['-e', BARE_SERVER], /^PORT (\d+)$/m, '127.0.0.1');
    const ratio = serve / bare;
    const verdict = serve <= IDLE_RSS_TARGET_MB ? 'PASS' : 'MISS';
    return (
      `idle memory (resident, after start-up + one request + ${SETTLE_MS / 1000} s)\n` +
      `  ${'portico serve'.padEnd(46)} ${serve.toFixed(1).padStart(5)} MB  target ≤ ${IDLE_RSS_TARGET_MB} MB  ${verdict}\n` +
      `  ${'portico serve ÷ bare Node HTTP server'.padEnd(46)} ${ratio.toFixed(2).padStart(5)}  (${serve.toFixed(1)} MB vs ${bare.toFixed(1)} MB)`
    );
  } finally {
    setup.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  idleRssReport().then(
    (report) => console.log(report),
    (error) => {
      console.error(`idle memory bench failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
