// One app under `portico run`: a free port, the command (with port flags if it needs
// them), its route for exactly as long as it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { ControlConnection, ProcessHold } from '../control-client.js';
import { alive } from '../control-client.js';
import { CliError } from '../errors.js';
import { plan } from './plan.js';

export interface AppOptions {
  connection: ControlConnection;
  cwd: string;
  host: string;
  /** The command before port flags. */
  argv: string[];
  packageJson: unknown;
  force: boolean;
  /** Where the proxy listens, from its status. */
  listeners: { http: number; https: number | undefined };
  caFile: string;
  /** Set for monorepo apps: each output line starts with it. */
  prefix?: string;
  /** The command runs in a process group of its own (no terminal to share). */
  ownGroup: boolean;
  /** Called with the child once it runs, so signals can reach it. */
  started: (child: ChildProcess) => void;
  /** The engine asked for the command to stop (the UI's Stop button). */
  stopRequested: () => void;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const url = (scheme: 'http' | 'https', host: string, port: number) =>
  `${scheme}://${host}${(scheme === 'https' ? port === 443 : port === 80) ? '' : `:${port}`}`;

/** The URLs to print, https first. */
export function appUrls(host: string, listeners: AppOptions['listeners']): string[] {
  return [...(listeners.https !== undefined ? [url('https', host, listeners.https)] : []), url('http', host, listeners.http)];
}

/** Refuses early (before anything starts) when a live process holds the host already. */
export async function checkHostFree(connection: ControlConnection, host: string, force: boolean): Promise<void> {
  if (force) return;
  const taken = (await connection.call('processes.list')).find((entry) => entry.host === host && alive(entry.ownerPid));
  if (taken) {
    throw new CliError(
      `${host} is taken by process ${taken.pid} (${taken.command}) in ${taken.cwd} — stop it, pick another --name, or take it over with --force`,
    );
  }
}

export async function runApp(options: AppOptions): Promise<AppExit> {
  const { connection, host, listeners, prefix = '' } = options;
  const port = await freePort();
  const planned = plan(options.argv, port, options.packageJson);
  const urls = appUrls(host, listeners);
  const say = (line: string) => process.stdout.write(`${prefix}${line}\n`);
  const note = (line: string) => process.stderr.write(`${prefix}portico: ${line}\n`);
  say(`${urls.join('  ')}  →  127.0.0.1:${port}  (${options.argv.join(' ')}${planned.flagged ? `, ${planned.flagged} told --port ${port}` : ''})`);
  for (const line of planned.notes) note(line);

  const child = spawn(planned.argv[0]!, planned.argv.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PORTICO_URL: urls[0], NODE_EXTRA_CA_CERTS: options.caFile },
    stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    detached: options.ownGroup,
    shell: process.platform === 'win32', // npm, vite… are .cmd files there
  });
  const exited = new Promise<AppExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error: NodeJS.ErrnoException) => {
      note(error.code === 'ENOENT' ? `command not found: ${planned.argv[0]}` : `cannot start ${planned.argv[0]}: ${error.message}`);
      resolve({ code: error.code === 'ENOENT' ? 127 : 126, signal: null });
    });
  });
  if (prefix) {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const out = stream === child.stdout ? process.stdout : process.stderr;
      createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
    }
  }
  if (child.pid === undefined) return exited;
  options.started(child);

  let hold: ProcessHold;
  try {
    hold = await connection.hold(
      {
        host,
        port,
        pid: child.pid,
        ownerPid: process.pid,
        command: options.argv.join(' '),
        cwd: options.cwd,
        force: options.force,
      },
      options.stopRequested,
    );
  } catch (error) {
    note(`${(error as Error).message}; stopping the command`);
    child.kill('SIGTERM');
    await exited;
    return { code: 1, signal: null };
  }
  const result = await exited;
  // Removed at once, so whoever waits on our exit finds the route gone; then let go.
  await connection.call('processes.remove', { id: hold.route.id }).catch(() => {});
  hold.release();
  return result;
}
