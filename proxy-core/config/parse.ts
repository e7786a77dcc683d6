// From what the user wrote to the Config the engine runs, or a ConfigError saying why not.
import { ConfigSchema, type Config } from '../contract/index.js';
import { ConfigError, issueLines, readableIssue } from './errors.js';
import { findJsonSyntaxError } from './json-syntax.js';

/** Validates an already-parsed value (e.g. from JSON.parse or the control service). */
export function parseConfig(raw: unknown, source: string): Config {
  // reportInput is off: we quote values from `raw`, as written, not zod's transformed ones.
  const result = ConfigSchema.safeParse(raw, { error: readableIssue });
  if (result.success) return result.data;
  throw new ConfigError(source, issueLines(result.error.issues, raw, ConfigSchema));
}

/** Parses the text of a config file: JSON syntax first (with line and column), then the schema. */
export function parseConfigText(text: string, source: string): Config {
  // Windows editors (Notepad) may start the file with a byte-order mark; JSON.parse rejects it.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    const found = findJsonSyntaxError(json);
    const where = found ? `line ${found.line}, column ${found.column}: ` : '';
    const reason = found?.reason ?? (err instanceof Error ? err.message : String(err));
    throw new ConfigError(source, [`${where}not valid JSON: ${reason}`], { cause: err });
  }
  return parseConfig(raw, source);
}
