// A config file that is not JSON at all — truncated by a crash, emptied by a full disk,
// mangled by a sync tool — must not keep Portico from starting. It is moved aside, not
// deleted (the user's routes are in it), and the defaults run until it is fixed.
// A file that is JSON but fails the schema is not corrupt: it is a hand edit with a
// mistake, so loadConfig's readable refusal (field, value, hint) stays the answer there.
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { ConfigSchema, type Config } from '../contract/index.js';
import { ConfigError } from './errors.js';
import { loadConfig } from './files.js';

export interface SetAside {
  /** Where the unreadable file now is. */
  file: string;
  /** Why it could not be read (JSON error with line and column). */
  reason: string;
}

/** `config.json` → `config.corrupt-2026-11-26T23-46-29-123Z.json`, beside it. */
export function setAsidePath(file: string, now: Date): string {
  const ext = path.extname(file);
  const stamp = now.toISOString().replace(/:/g, '-').replace('.', '-');
  return path.join(path.dirname(file), `${path.basename(file, ext)}.corrupt-${stamp}${ext || '.json'}`);
}

/** loadConfig, except that a file that is not JSON is moved aside and the defaults load. */
export async function loadConfigOrSetAside(file: string, now = new Date()): Promise<{ config: Config; setAside?: SetAside }> {
  try {
    return { config: await loadConfig(file) };
  } catch (error) {
    if (!(error instanceof ConfigError) || !(await isNotJson(file))) throw error;
    const aside = setAsidePath(file, now);
    await rename(file, aside);
    return { config: ConfigSchema.parse({}), setAside: { file: aside, reason: error.issues.join('; ') } };
  }
}

async function isNotJson(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return false; // unreadable for another reason: permissions, a directory
  try {
    JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
    return false;
  } catch {
    return true;
  }
}

/** The line a front door shows (banner, log, UI) so the user can find and fix the file. */
export const setAsideMessage = (original: string, aside: SetAside): string =>
  `${original} was not valid JSON (${aside.reason}); it is kept as ${aside.file} and the defaults are in use until you fix it and move it back`;
