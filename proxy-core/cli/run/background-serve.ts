// When no Portico runs for the data dir, `portico run` starts `portico serve` in the
// background (detached, its output in <data dir>/serve.log) and waits until it records its
// control address. `portico stop` ends it.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectControl, type ControlConnection } from '../control-client.js';
import { CliError } from '../errors.js';

export const serveLogFile = (dataDir: string): string => join(dataDir, 'serve.log');

/** How long a background serve may take to come up (CA creation on first use included). */
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 25;

export async function startBackgroundServe(dataDir: string): Promise<ControlConnection> {
  mkdirSync(dataDir, { recursive: true });
  const log = serveLogFile(dataDir);
  const fd = openSync(log, 'a');
  // The script this `portico` runs from: the bundled entry or the compiled one alike.
  const main = process.argv[1]!;
  const child = spawn(process.execPath, [main, 'serve', '--data-dir', dataDir], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, PORTICO_DATA_DIR: dataDir },
  });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    const connection = await connectControl(dataDir);
    if (connection && connection.address.pid === child.pid) return connection;
    connection?.close();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (exited === undefined) child.kill();
  throw new CliError(`portico serve did not start (${exited === undefined ? 'no answer' : `exit ${exited}`}); its log, ${log}, ends with:\n${tail(log)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
}
