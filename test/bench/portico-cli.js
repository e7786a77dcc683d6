// How the start-up and idle-memory benches run the `portico` command as users do, and what
// they need before starting `portico serve`: a data dir whose config listens on ephemeral
// ports, and an origin for the one route they pass.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The `portico` that users run (package.json's bin: the bundled entry); STARTUP_MAIN picks another.
export const MAIN = path.resolve(import.meta.dirname, '../..', process.env.STARTUP_MAIN ?? 'out/cli/portico.js');
export const node = process.execPath;
// `portico` is run as a program (its first line picks Node and serve's V8 flags), with this
// Node first on PATH, as npm/npx run it; Windows has no shebangs, so there through node.
export const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
/** [file, args] that run `portico ARGS`. */
export const portico = (args) => (process.platform !== 'win32' ? [MAIN, args] : [node, [MAIN, ...args]]);

export async function serveSetup(prefix) {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ http: { port: 0 }, https: { port: 0 } }));
  const origin = http.createServer((_req, res) => res.end('ok'));
  await new Promise((resolve) => origin.listen(0, '127.0.0.1', resolve));
  return {
    dataDir,
    route: `bench.localhost=http://127.0.0.1:${origin.address().port}`,
    close() {
      origin.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
