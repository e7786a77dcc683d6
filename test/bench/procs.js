// Child processes for the bench: pinned servers that report their port, load runs that
// report one JSON line, and the CPU time a process used (to tell who the bottleneck was).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const hasTaskset = os.availableParallelism() >= 2 && spawnSync('taskset', ['-c', '1', 'true']).status === 0;
export const pinning = hasTaskset ? 'proxy on CPU 0, origin + load generator on CPU 1' : 'not pinned (no taskset or one CPU)';

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns `args` pinned to `cpu` (when pinning is possible); killed when the bench exits. */
export function spawnPinned(cpu, args, options) {
  const [cmd, ...rest] = hasTaskset ? ['taskset', '-c', String(cpu), ...args] : args;
  const child = spawn(cmd, rest, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Starts `node ...nodeArgs script ...args` on `cpu` with extra `env`; resolves once it
 * prints `READY <port>` (and, for HTTPS, ` CA "<pem as JSON>"`).
 */
export function startServer(name, cpu, script, args, nodeArgs = [], env = {}) {
  const child = spawnPinned(cpu, [process.execPath, ...nodeArgs, script, ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.stderr.on('data', (d) => process.stderr.write(`[${name}] ${d}`));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    child.stdout.on('data', (d) => {
      out += d;
      const ready = /READY (\d+)(?: CA (".*"))?\n/.exec(out);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      // With taskset the child execs node, so this pid is the server process itself.
      resolve({ name, port: Number(ready[1]), ca: ready[2] && JSON.parse(ready[2]), pid: child.pid, child });
    });
  });
}

/** One autocannon run from CPU 1 (HTTPS when `ca` is given); resolves to load.js's JSON result. */
export function runLoad({ port, host, ca, connections, seconds }) {
  const url = `${ca ? 'https' : 'http'}://127.0.0.1:${port}/bench`;
  const job = JSON.stringify({ url, host, ca, connections, seconds });
  const child = spawnPinned(1, [process.execPath, new URL('./load.js', import.meta.url).pathname, job], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch {
        reject(new Error(`load generator exited with code ${code}: ${out}`));
      }
    });
  });
}

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds (user + system) a process has used so far; NaN where /proc is missing. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** CPU seconds spent in processes (user + nice + system) on the whole machine so far. */
export function machineBusySeconds() {
  try {
    const [, user, nice, system] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    return (user + nice + system) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/**
 * Watches how much CPU processes other than ours used: machine busy time minus what our
 * servers (pids), this process and the load children (their own report) used, per second.
 */
export function watchForeignCpu(pids) {
  const ours = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  const start = { busy: machineBusySeconds(), ours: ours(), at: performance.now() };
  return (loadChildrenCpu) => {
    const foreign = machineBusySeconds() - start.busy - (ours() - start.ours) - loadChildrenCpu;
    return Math.max(0, foreign) / ((performance.now() - start.at) / 1000);
  };
}
