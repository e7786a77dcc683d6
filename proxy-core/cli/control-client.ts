// The CLI's side of the control server: finds the Portico running for a data dir (through
// control.json and the token file) and talks to it over one WebSocket. `portico run` keeps
// that connection open for as long as its command runs: when it closes, however the
// process ended, the engine removes the process's route.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandName, CommandOutput } from '../contract/index.js';
import { readControlAddress, type ControlAddress } from '../control-server/address-file.js';
import { CliError } from './errors.js';

export interface ControlConnection {
  readonly address: ControlAddress;
  call<N extends CommandName>(method: N, params?: unknown): Promise<CommandOutput<N>>;
  close(): void;
}

/** A command the engine refused, with the HTTP-like status it gave (409: name taken). */
export class CommandRefused extends CliError {
  constructor(message: string, readonly status: number | undefined) {
    super(message);
  }
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
  const socket = new WebSocket(`ws://127.0.0.1:${address.port}/ws?token=${token}`);
  const opened = await new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true });
    socket.addEventListener('error', () => resolve(false), { once: true });
  });
  if (!opened) return undefined;

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    let message: { id?: number; ok?: boolean; result?: unknown; error?: { message?: string; status?: number } };
    try {
      message = JSON.parse(String(event.data)) as typeof message;
    } catch {
      return;
    }
    if (typeof message.id !== 'number') return; // an event: the CLI does not follow them
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new CommandRefused(message.error?.message ?? 'the command failed', message.error?.status));
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new CliError('the connection to Portico closed'));
    pending.clear();
  });

  return {
    address,
    call: (method, params) =>
      new Promise((resolve, reject) => {
        if (socket.readyState !== WebSocket.OPEN) return reject(new CliError('the connection to Portico closed'));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
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
