// HTTP/2 load with h2load (package nghttp2-client), pinned to the load CPU: one run against
// https://HOST:PORT/bench with SNI and :authority HOST, connecting to 127.0.0.1. h2load
// does not verify certificates; the pre-flight check did that for Portico and for Caddy.
import { spawnSync } from 'node:child_process';
import { cpuSeconds, spawnPinned } from './procs.js';

export const hasH2load = () => spawnSync('h2load', ['--version'], { stdio: 'ignore' }).status === 0;

/** Resolves to { requests, rps, non2xx, errors, elapsed } from h2load's summary, and ownCpu: h2load's CPU seconds. */
export function runH2load({ port, host, seconds, clients, streams }) {
  const args = [
    'h2load',
    `--connect-to=127.0.0.1:${port}`,
    '-c',
    String(clients),
    '-m',
    String(streams),
    '-D',
    String(seconds),
    `https://${host}:${port}/bench`,
  ];
  const child = spawnPinned(1, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // Sampled while it runs (its /proc entry is gone once it has exited), so the bench can
  // tell the load generator's CPU from other processes'.
  let ownCpu = 0;
  const sampler = setInterval(() => (ownCpu = cpuSeconds(child.pid) || ownCpu), 100);
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearInterval(sampler);
      const finished = /finished in ([\d.]+)s, ([\d.]+) req\/s/.exec(out);
      const counts = /requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(out);
      const codes = /status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out);
      if (!finished || !counts || !codes) return reject(new Error(`h2load exited with code ${code}: ${out}`));
      resolve({
        elapsed: Number(finished[1]),
        rps: Number(finished[2]),
        requests: Number(counts[2]),
        non2xx: Number(codes[1]) + Number(codes[2]) + Number(codes[3]),
        errors: Number(counts[3]) + Number(counts[4]) + Number(counts[5]),
        ownCpu,
      });
    });
  });
}
