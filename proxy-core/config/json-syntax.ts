// Where a JSON text first goes wrong, as line and column plus a plain-words reason.
// V8's JSON.parse messages are not enough: some carry a position ("… at position 8
// (line 1 column 9)"), others only an excerpt ("Unexpected token ']', "[1,]" is not valid
// JSON"), and the wording changes between Node versions. A small scanner gives every
// syntax error a position and a reason that names the usual slips (trailing comma,
// comment, single quotes, missing comma). It only runs after JSON.parse has failed.

export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like editors' column counters for BMP text. */
  column: number;
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/** Returns the first syntax error in `text`, or undefined if it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    scan(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return { ...lineAndColumn(text, err.offset), reason: err.reason };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function scan(text: string): void {
  let i = 0;

  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : `"${text.charAt(at)}"`);
  const unexpected = (wanted: string): Stop => {
    if (text.startsWith('//', i) || text.startsWith('/*', i)) return new Stop(i, 'comments are not allowed in JSON');
    return new Stop(i, `expected ${wanted}, found ${describe(i)}`);
  };

  const value = (): void => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === "'") throw new Stop(i, 'strings need double quotes (") in JSON, not single quotes');
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i))?.[0];
    if (word) {
      const meant = ['true', 'false', 'null'].find((w) => w.startsWith(word.toLowerCase()) || word.toLowerCase().startsWith(w));
      if (meant) throw new Stop(i, `"${word}" is not a JSON value: did you mean ${meant}?`);
      throw new Stop(i, 'text must be in double quotes, e.g. "shop.localhost"');
    }
    throw unexpected('a value');
  };

  // Shared by objects and arrays: items separated by commas, no comma before the closer.
  const items = (close: '}' | ']', item: () => void): void => {
    i++; // the opener
    skipSpace();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      const c = text.charAt(i);
      if (c === close) {
        i++;
        return;
      }
      if (c !== ',') {
        // The usual cause: a line added without a comma after the previous one.
        if (c !== '' && '"{[-0123456789tfn'.includes(c)) {
          throw new Stop(i, `missing "," before this ${close === '}' ? 'property' : 'item'}`);
        }
        throw unexpected(`"," or "${close}"`);
      }
      const comma = i++;
      skipSpace();
      if (text.charAt(i) === close) throw new Stop(comma, `trailing comma: remove the "," before "${close}"`);
    }
  };

  const object = (): void =>
    items('}', () => {
      skipSpace();
      const c = text.charAt(i);
      if (c !== '"') {
        if (c === "'" || /[A-Za-z_$]/.test(c)) throw new Stop(i, 'property names need double quotes, e.g. "host"');
        throw unexpected('a property name in double quotes');
      }
      string();
      skipSpace();
      if (text.charAt(i) !== ':') throw unexpected('":" after the property name');
      i++;
      value();
    });

  const array = (): void => items(']', value);

  const string = (): void => {
    const start = i++;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const escape = /^\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/.exec(text.slice(i, i + 6));
        if (!escape) throw new Stop(i, 'invalid escape sequence in a string (write "\\\\" for a backslash)');
        i += escape[0].length;
        continue;
      }
      if (c < ' ') throw new Stop(i, 'strings cannot contain line breaks or tabs (write \\n or \\t)');
      i++;
    }
    throw new Stop(start, 'this string is never closed (missing ")');
  };

  const number = (): void => {
    const match = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    match.lastIndex = i;
    if (!match.exec(text)) throw new Stop(i, 'invalid number');
    i = match.lastIndex;
    if (/[0-9.eExX]/.test(text.charAt(i))) throw new Stop(i, 'invalid number (no leading zeros, hex or trailing ".")');
  };

  skipSpace();
  if (i >= text.length) throw new Stop(i, 'the file is empty: write {} for the defaults');
  value();
  skipSpace();
  if (i < text.length) throw unexpected('the end of the file after the top-level value');
}
