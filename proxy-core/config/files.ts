// Reading and writing the config file.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ConfigSchema, type Config, type ConfigInput } from '../contract/index.js';
import { ConfigError } from './errors.js';
import { parseConfig, parseConfigText } from './parse.js';

/**
 * Reads and validates the config file. A missing file is a fresh install, not a mistake,
 * so it yields the defaults; a file we cannot read or use is a ConfigError.
 */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (isErrnoException(err) && err.code === 'ENOENT') return ConfigSchema.parse({});
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(file, [`cannot read the file: ${reason}`], { cause: err });
  }
  return parseConfigText(text, file);
}

/** The last pending save per absolute path; settled promises, so one failure does not block the next save. */
const saving = new Map<string, Promise<void>>();

/**
 * Validates, then replaces the file atomically: write-file-atomic writes a temporary file
 * beside it, fsyncs it and renames it over the old one, so a crash or kill at any moment
 * leaves the old file or the new one, never a truncated mix.
 *
 * The config is written as given (not with defaults filled in), so a hand-written file
 * stays as short as its author made it and later changes to defaults still reach it.
 * The text is taken at call time and saves to one file land in call order, so the last
 * call wins even when the caller mutates its object or does not await.
 */
export async function saveConfig(file: string, config: ConfigInput): Promise<void> {
  parseConfig(config, file);
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const key = resolve(file);
  // write-file-atomic queues writes per file too, but only from its own call; the mkdir
  // before it could reorder two saves, so the whole save is queued here.
  const previous = saving.get(key) ?? Promise.resolve();
  const save = previous.then(async () => {
    await mkdir(dirname(key), { recursive: true, mode: 0o700 });
    // It holds password hashes: owner-only, like the other secrets. write-file-atomic would
    // otherwise keep an existing file's mode, so an old 0644 file is fixed on this save.
    await writeFileAtomic(key, text, { mode: 0o600 });
  });
  const settled = save.then(
    () => undefined,
    () => undefined,
  );
  saving.set(key, settled);
  void settled.then(() => {
    if (saving.get(key) === settled) saving.delete(key);
  });
  return save;
}

function isErrnoException(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && 'code' in err;
}
