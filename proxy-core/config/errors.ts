// Turning a bad config into a message a developer can act on without opening the docs:
// one line per problem, each naming the field as they would point at it in the file
// (`routes[0].target`) and quoting the value they wrote.
import { z } from 'zod';

/** A config that cannot be used. The message is the whole report, ready to print. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    /** The file (or other source) the config came from. */
    readonly source: string,
    /** One line per problem, without the heading. */
    readonly issues: string[],
    options?: ErrorOptions,
  ) {
    super([`Invalid config in ${source}:`, ...issues.map((line) => `  ${line}`)].join('\n'), options);
  }
}

/** `['routes', 0, 'target']` → `routes[0].target`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** The value as it appears in the file, shortened so one line stays one line. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Messages for zod's built-in checks, used wherever the schema does not give its own.
 * Zod's defaults ("Invalid input: expected number, received string") speak about types;
 * these speak about the file.
 */
export const readableIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return sizeMessage(issue.origin, 'at least', issue.minimum, issue.inclusive);
    case 'too_big':
      return sizeMessage(issue.origin, 'at most', issue.maximum, issue.inclusive);
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => formatValue(v)).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

const TYPE_WORDS: Record<string, string> = {
  string: 'a string (text in double quotes)',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list ([...])',
  object: 'an object ({...})',
};

function sizeMessage(origin: string, bound: 'at least' | 'at most', limit: number | bigint, inclusive?: boolean): string {
  const n = Number(limit);
  if (origin === 'number' || origin === 'int') {
    if (inclusive === false) return bound === 'at least' ? `must be greater than ${n}` : `must be less than ${n}`;
    return `must be ${bound} ${n}`;
  }
  if (bound === 'at least' && n === 1) return 'must not be empty';
  const unit = origin === 'string' ? 'character' : 'item';
  return `must have ${bound} ${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** One line per problem; `raw` is what the user wrote, so values are quoted before any trim or lower-casing. */
export function issueLines(issues: readonly z.core.$ZodIssue[], raw: unknown, schema: z.ZodType): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const key of issue.keys) lines.push(unknownKeyLine([...issue.path, key], key, known));
      continue;
    }
    const value = valueAt(raw, issue.path);
    // Objects and lists would swamp the line, and the path already points at them.
    const shown = value !== undefined && (typeof value !== 'object' || value === null || formatValue(value).length <= 40);
    lines.push(`${formatPath(issue.path)}: ${issue.message}${shown ? ` (got ${formatValue(value)})` : ''}`);
  }
  return lines;
}

function unknownKeyLine(path: PropertyKey[], key: string, known: string[]): string {
  const guess = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? known.find((k) => editDistance(k, key) <= 2);
  const hint = guess ? `did you mean "${guess}"? ` : '';
  const list = known.length > 0 ? `(${hint}known fields here: ${known.join(', ')})` : '';
  return `${formatPath(path)}: unknown field ${list}`.trimEnd();
}

/** The value the user wrote at a zod issue's path (undefined when the path runs out). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The field names the schema allows at `path`, found by walking the schema alongside it. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const key of [...path, undefined]) {
    node = unwrap(node);
    if (key === undefined) break;
    if (node instanceof z.ZodObject && typeof key === 'string') node = (node.shape as Record<string, unknown>)[key];
    else if (node instanceof z.ZodArray && typeof key === 'number') node = node.element;
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: unknown): unknown {
  for (;;) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap();
    else if (node instanceof z.ZodPipe) node = node.in;
    else return node;
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
