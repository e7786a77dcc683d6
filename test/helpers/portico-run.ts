// Drives `portico run` (and stop/status) as real processes against a data dir whose config
// asks for free ports, so a background `portico serve` never needs 80/443.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../out/proxy-core/cli/main.js', import.meta.url));

/** A fresh data dir with HTTP and HTTPS on free ports. */
export async function runDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portico-run-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ http: { port: 0 }, https: { port: 0 } }));
  return dir;
}

/** A server that listens on PORT/HOST and answers with what it was given. */
export const ECHO_ENV_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
let ca = '';
try { ca = fs.readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8'); } catch {}
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ pid: process.pid, port: process.env.PORT, host: process.env.HOST, porticoUrl: process.env.PORTICO_URL, caReadable: ca.startsWith('-----BEGIN CERTIFICATE-----') }));
}).listen(Number(process.env.PORT), process.env.HOST, () => console.log('listening on ' + process.env.PORT));
`;

export interface PorticoRun {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The URLs `portico run` printed, https first. */
  urls: Promise<{ https: URL; http: URL }>;
  /** Resolves once stdout contains `text`. */
  printed(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startRun(args: string[], options: { cwd: string; dataDir: string }): PorticoRun {
  const child = spawn(process.execPath, [MAIN, 'run', '--data-dir', options.dataDir, ...args], { cwd: options.cwd, env: { ...process.env } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const onOutput = () => waiters.forEach((check) => check());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), onOutput()));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), onOutput()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stdout.includes(text)) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
      void exited.then(() => {
        if (waiters.has(check)) reject(new Error(`portico run exited before printing "${text}"\nstdout: ${stdout}\nstderr: ${stderr}`));
      });
    });
  const urls = printed('http://').then(() => {
    const [https, http] = /(https:\/\/\S+) +(http:\/\/\S+)/.exec(stdout)!.slice(1);
    return { https: new URL(https!), http: new URL(http!) };
  });
  urls.catch(() => {});
  return { child, stdout: () => stdout, stderr: () => stderr, urls, printed, exited };
}

/** Runs another portico command to completion. */
export function portico(args: string[], options: { cwd?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: options.cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Ends a process this test started, if it still runs. */
export function killPid(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}
