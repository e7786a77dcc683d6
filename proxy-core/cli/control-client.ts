// The CLI's side of the control server: finds the Portico running for a data dir (through
// control.json and the token file) and calls its commands over plain HTTP on loopback.
// `portico run` also holds one request open for as long as its command runs (see
// PROCESS_HOLD_PATH): when that connection closes, however the process ended, the engine
// removes the process's route.
//
// node:http rather than a WebSocket client: it loads in a fraction of the time, and
// `portico run` must start its command at once.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { CommandName, CommandOutput, ProcessRoute } from '../contract/index.js';
import { readControlAddress, type ControlAddress } from '../control-server/address-file.js';
import { CliError } from './errors.js';

/** Where `portico run` holds its route (the control server's PROCESS_HOLD_PATH). */
const HOLD_PATH = '/api/processes/hold';

export interface ProcessHold {
  route: ProcessRoute;
  /** Lets go of the route (closes the held connection). */
  release(): void;
}

export interface ControlConnection {
  readonly address: ControlAddress;
  /** The engine's status when we connected (its listeners). */
  readonly status: CommandOutput<'status'>;
  call<N extends CommandName>(method: N, params?: unknown): Promise<CommandOutput<N>>;
  /** Adds a process route that lives as long as the returned hold; `onStop` runs when the engine asks to stop. */
  hold(params: unknown, onStop: () => void): Promise<ProcessHold>;
  close(): void;
}

/** Connects to the Portico recorded for `dataDir`; undefined when none answers. */
export async function connectControl(dataDir: string): Promise<ControlConnection | undefined> {
  const address = readControlAddress(dataDir);
  if (!address || !alive(address.pid)) return undefined;
  let token: string;
  try {
    token = readFileSync(join(dataDir, 'control-token'), 'utf8').trim();
  } catch {
    return undefined;
  }
  const agent = new http.Agent({ keepAlive: true });
  const send = (path: string, params: unknown, options: { agent: http.Agent | false }) => {
    const body = params === undefined ? '' : JSON.stringify(params);
    return http
      .request({
        host: '127.0.0.1',
        port: address.port,
        path,
        method: 'POST',
        agent: options.agent,
        headers: {
          host: `127.0.0.1:${address.port}`,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      })
      .end(body);
  };
  const failure = (status: number | undefined, text: string) => {
    try {
      return new CliError((JSON.parse(text) as { message?: string }).message ?? `Portico answered ${status}`);
    } catch {
      return new CliError(`Portico answered ${status}`);
    }
  };

  const call = <N extends CommandName>(method: N, params?: unknown) =>
    new Promise<CommandOutput<N>>((resolve, reject) => {
      const req = send(`/api/commands/${method}`, params, { agent });
      req.on('error', (error) => reject(new CliError(`cannot reach Portico on 127.0.0.1:${address.port}: ${error.message}`)));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text) as CommandOutput<N>) : reject(failure(res.statusCode, text))));
      });
    });

  const hold = (params: unknown, onStop: () => void) =>
    new Promise<ProcessHold>((resolve, reject) => {
      const req = send(HOLD_PATH, params, { agent: false });
      req.on('error', (error) => reject(new CliError(`cannot reach Portico on 127.0.0.1:${address.port}: ${error.message}`)));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        const onData = (chunk: string) => {
          text += chunk;
          const line = text.indexOf('\n');
          if (res.statusCode !== 200 || line < 0) return;
          res.off('data', onData);
          // Later lines are requests from the engine: {"stop": true} (the UI's Stop button).
          let rest = text.slice(line + 1);
          const onLine = (chunk: string) => {
            rest += chunk;
            for (let end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n')) {
              if (rest.slice(0, end).includes('"stop"')) onStop();
              rest = rest.slice(end + 1);
            }
          };
          res.on('data', onLine);
          res.on('error', () => {});
          onLine('');
          resolve({ route: JSON.parse(text.slice(0, line)) as ProcessRoute, release: () => req.destroy() });
        };
        res.on('data', onData);
        res.on('end', () => reject(failure(res.statusCode, text)));
      });
    });

  // Is anyone there? A stale control.json (an engine killed hard) names a dead port.
  let status: CommandOutput<'status'>;
  try {
    status = await call('status');
  } catch {
    agent.destroy();
    return undefined;
  }
  return { address, status, call, hold, close: () => agent.destroy() };
}

/** Whether a process with this id exists (EPERM: it does, as another user's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
