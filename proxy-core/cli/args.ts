// Flag parsing on Node's util.parseArgs, in non-strict token mode so that every mistake
// becomes one sentence of ours ("unknown option --htp-port (did you mean --http-port?)")
// instead of Node's generic wording.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['multiple'] extends true ? string[] : string;
};

export interface ParsedFlags<S extends FlagSpecs> {
  values: FlagValues<S>;
  positionals: string[];
}

/**
 * Parses `argv` against `specs`. `usage` names where to look for help and ends every
 * error message, e.g. "run 'portico serve --help'". The last of a repeated single flag wins.
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S, usage: string): ParsedFlags<S> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const fail = (message: string) => new UsageError(`${message} — ${usage}`);

  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    const spec = specs[token.name];
    if (!spec) {
      const guess = closest(token.name, Object.keys(specs));
      throw fail(`unknown option ${token.rawName}${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw fail(`${token.rawName} takes no value (got "${token.value}")`);
      values[token.name] = true;
      continue;
    }
    // parseArgs takes the next word as the value even when it is another flag
    // ("--http-port --route x"): treat a known-looking flag as a missing value.
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
      throw fail(`${token.rawName} needs a value`);
    }
    if (spec.multiple) {
      const list = values[token.name];
      values[token.name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[token.name] = value;
    }
  }
  return { values: values as FlagValues<S>, positionals };
}

/** A TCP port, 0 meaning "any free port". */
export function parsePort(flag: string, raw: string): number {
  const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`--${flag} must be a port number from 0 to 65535, 0 meaning any free port (got "${raw}")`);
  }
  return port;
}

/** The candidate within two edits of `word`, if there is one. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
