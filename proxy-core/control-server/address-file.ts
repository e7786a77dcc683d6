// Where the running engine can be reached: `<data dir>/control.json`, written by whoever
// runs the engine for that data dir (`portico serve`, the desktop app) once its control
// server listens, removed when it stops. `portico run`, `stop` and `status` read it. The
// token stays in its own 0600 file; this one only says where to knock.
//
// Only Node built-ins here: the CLI reads this file on every `portico run`.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ControlAddress {
  /** The control server's port on 127.0.0.1. */
  port: number;
  /** The process running the engine. */
  pid: number;
  /** Who runs it: `portico serve` can be stopped by `portico stop`; the app is quit by its user. */
  kind: 'serve' | 'app';
  version: string;
}

export const controlAddressFile = (dataDir: string): string => join(dataDir, 'control.json');

export function writeControlAddress(dataDir: string, address: ControlAddress): void {
  const file = controlAddressFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(address) + '\n', { mode: 0o600 });
  renameSync(temp, file);
}

/** The recorded address, or undefined when there is none or it is not one. */
export function readControlAddress(dataDir: string): ControlAddress | undefined {
  try {
    const raw = JSON.parse(readFileSync(controlAddressFile(dataDir), 'utf8')) as Partial<ControlAddress>;
    if (typeof raw.port !== 'number' || typeof raw.pid !== 'number') return undefined;
    return { port: raw.port, pid: raw.pid, kind: raw.kind === 'app' ? 'app' : 'serve', version: String(raw.version ?? '') };
  } catch {
    return undefined;
  }
}

/** Removes the file if it still names this process (a newer engine may have replaced it). */
export function removeControlAddress(dataDir: string, pid = process.pid): void {
  if (readControlAddress(dataDir)?.pid !== pid) return;
  try {
    unlinkSync(controlAddressFile(dataDir));
  } catch {
    // gone already
  }
}
