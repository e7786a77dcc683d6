// Atomic save, tested the hard way: a child process saves two large configs in turn as
// fast as it can and we SIGKILL it at varied moments; afterwards the file must be exactly
// one of the two versions. A plain fs.writeFile (truncate, then write) fails this: killed
// between the two, it leaves an empty or half-written file.
//
// The child imports the BUILT module (out/, made by `tsc -b` before the tests run), as the
// CLI and the app will.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../proxy-core/contract/index.js';

const BUILT = fileURLToPath(new URL('../../out/proxy-core/config/index.js', import.meta.url));
const ROUNDS = 25;
const WORKERS = 5;

// Saves a few times, reports how long one save takes, then alternates forever.
const CHILD = `
import { readFile } from 'node:fs/promises';
import { saveConfig } from ${JSON.stringify(pathToFileURL(BUILT).href)};
const [file, versionsFile] = process.argv.slice(2);
const versions = JSON.parse(await readFile(versionsFile, 'utf8'));
await saveConfig(file, versions[1]); // warm-up: the first save pays for JIT and the mkdir
const started = performance.now();
for (let i = 0; i < 2; i++) await saveConfig(file, versions[i]);
process.stdout.write('ready ' + (performance.now() - started) / 2 + '\\n');
for (let i = 0; ; i++) await saveConfig(file, versions[i % 2]);
`;

/** A large config (~150 kB), so a write takes a measurable time. */
function bigConfig(routes: number, port: number): ConfigInput {
  return {
    http: { port },
    routes: Array.from({ length: routes }, (_, i) => ({
      id: `route-${i}-${'x'.repeat(40)}`,
      host: `app-${i}.portico-test.localhost`,
      pathPrefix: `/service/${i}/api`,
      targets: [`http://127.0.0.1:${10_000 + (i % 5000)}`, `http://127.0.0.1:${20_000 + (i % 5000)}`],
    })),
  };
}

const VERSIONS = [bigConfig(600, 8080), bigConfig(450, 9090)];
const TEXTS = VERSIONS.map((v) => `${JSON.stringify(v, null, 2)}\n`);

let dir: string;
let script: string;
let versionsFile: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npx tsc -b)`);
  dir = await mkdtemp(join(tmpdir(), 'portico-atomic-'));
  script = join(dir, 'saver.mjs');
  versionsFile = join(dir, 'versions.json');
  await writeFile(script, CHILD);
  await writeFile(versionsFile, JSON.stringify(VERSIONS));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Starts a saver on `file` and resolves once it is looping, with its time per save in ms. */
function startSaver(file: string): Promise<{ child: ChildProcess; saveMs: number }> {
  const child = spawn(process.execPath, [script, file, versionsFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`saver not ready after 15 s; stderr: ${err}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready ([\d.]+)\n/.exec(out);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, saveMs: Number(ready[1]) });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`saver exited early (${code ?? signal}); stderr: ${err}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('saveConfig is atomic', () => {
  it(`leaves the old or the new file after SIGKILL mid-save (${ROUNDS} rounds)`, { timeout: 120_000 }, async () => {
    const seen = [0, 0];
    // A saver takes most of a second to start (Node + zod), so a few run side by side,
    // each on its own file, to keep the test near ten seconds.
    let failed = false; // one worker's failure stops the others spawning more savers
    const killRounds = async (worker: number, rounds: number): Promise<void> => {
      const file = join(dir, `killed-${worker}`, 'config.json');
      for (let round = 0; round < rounds && !failed; round++) {
        const { child, saveMs } = await startSaver(file);
        // Spread the kills over a few saves' worth of time, so they land in every phase:
        // temp file being written, fsync, rename, and between saves.
        await sleep(Math.random() * 3 * saveMs);
        await kill(child);
        const text = await readFile(file, 'utf8');
        const version = TEXTS.indexOf(text);
        expect(version, `${file}, round ${round}: neither version (${text.length} chars)`).toBeGreaterThanOrEqual(0);
        seen[version] = (seen[version] ?? 0) + 1;
        JSON.parse(text);
      }
    };
    await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        killRounds(w, ROUNDS / WORKERS).catch((err: unknown) => {
          failed = true;
          throw err;
        }),
      ),
    );
    expect((seen[0] ?? 0) + (seen[1] ?? 0)).toBe(ROUNDS);
    // Both versions turned up: the kills did land at different points of the alternation.
    expect(seen[0], `versions seen: ${seen.join(' / ')}`).toBeGreaterThan(0);
    expect(seen[1], `versions seen: ${seen.join(' / ')}`).toBeGreaterThan(0);
  });

  it('never shows a reader a partial file while saves run', { timeout: 60_000 }, async () => {
    const file = join(dir, 'read', 'config.json');
    const { child } = await startSaver(file);
    try {
      const until = Date.now() + 1_500;
      let reads = 0;
      while (Date.now() < until) {
        const text = await readFile(file, 'utf8');
        expect(TEXTS.indexOf(text), `read ${reads}: a partial file (${text.length} chars)`).toBeGreaterThanOrEqual(0);
        reads++;
      }
      expect(reads).toBeGreaterThan(20);
    } finally {
      await kill(child);
    }
  });
});
