// Drives test/helpers/engine-child.mjs: the built engine in a child process running Node 24.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../proxy-core/contract/index.js';

const CHILD = fileURLToPath(new URL('./engine-child.mjs', import.meta.url));
export const BUILT_ENGINE = fileURLToPath(new URL('../../out/proxy-core/engine/index.js', import.meta.url));

export interface EngineProcess {
  readonly port: number;
  /** Starts a new peak window; resolves with the RSS now. */
  mark(): Promise<number>;
  /** Highest RSS sampled (after a GC, every 50 ms) since the last mark. */
  peak(): Promise<number>;
  close(): Promise<void>;
}

export async function startEngineProcess(config: ConfigInput): Promise<EngineProcess> {
  if (!existsSync(BUILT_ENGINE)) throw new Error(`${BUILT_ENGINE} is missing: run \`tsc -b\` first`);
  // process.execPath is the Node running vitest (Node 24, from the `node` devDependency): both run the same Node.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--expose-gc', CHILD, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<never>((_resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`engine child exited (${code}): ${stderr}`)));
  });
  exited.catch(() => {});
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  const ask = async (command: string) => {
    const answer = nextLine();
    child.stdin.write(`${command}\n`);
    return JSON.parse(await answer) as { rss: number; peak: number };
  };

  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    mark: async () => (await ask('mark')).rss,
    peak: async () => (await ask('peak')).peak,
    async close() {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.write('close\n');
      const guard = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(guard);
    },
  };
}
