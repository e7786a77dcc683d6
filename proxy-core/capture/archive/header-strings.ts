// Header names, and most header values, repeat on every exchange ("content-type",
// "keep-alive", a browser's user-agent, the dev host): each is stored once in a table and an
// exchange keeps its number. Clients and backends can send endless distinct strings, so a
// table has a ceiling and keeps only short strings; values that differ on every exchange
// (dates, lengths, ids, validators) are never offered to it. Everything else is written out.

/** The number that says "the string follows as text". */
export const LITERAL = 0xffff;

export class StringTable {
  private readonly numbers = new Map<string, number>();
  private readonly strings: string[] = [];

  constructor(
    private readonly maxEntries: number,
    private readonly maxLength: number,
  ) {}

  /** The string's number, or LITERAL when it is not (and will not be) in the table. */
  numberOf(value: string): number {
    const known = this.numbers.get(value);
    if (known !== undefined) return known;
    if (value.length > this.maxLength || this.strings.length >= this.maxEntries) return LITERAL;
    this.numbers.set(value, this.strings.length);
    this.strings.push(value);
    return this.strings.length - 1;
  }

  stringOf(number: number): string {
    const value = this.strings[number];
    if (value === undefined) throw new Error(`no string number ${number}`);
    return value;
  }
}

/** Headers whose values are new on (nearly) every exchange: interning them would only fill the table. */
const UNIQUE_VALUES = new Set([
  'date',
  'expires',
  'last-modified',
  'if-modified-since',
  'etag',
  'if-none-match',
  'content-length',
  'age',
  'x-forwarded-port',
  'x-request-id',
  'traceparent',
  'tracestate',
  'sec-websocket-key',
  'sec-websocket-accept',
  'authorization',
  ':path',
  'location',
  'content-range',
  'range',
]);

/** The archive's two tables: header names, and the values worth sharing. */
export class HeaderStrings {
  readonly names = new StringTable(4096, 64);
  readonly values = new StringTable(16_384, 200);

  /** Whether the header numbered `n` has unique values, by name number: found once per name. */
  private readonly uniqueByName: boolean[] = [];

  /**
   * The value's number, or LITERAL for values of headers that change on every exchange.
   * `nameNumber` (the name's number in `names`, when it has one) spares lower-casing the
   * name on every exchange.
   */
  valueNumber(name: string, value: string, nameNumber = LITERAL): number {
    let unique = nameNumber === LITERAL ? undefined : this.uniqueByName[nameNumber];
    if (unique === undefined) {
      unique = UNIQUE_VALUES.has(name.toLowerCase());
      if (nameNumber !== LITERAL) this.uniqueByName[nameNumber] = unique;
    }
    return unique ? LITERAL : this.values.numberOf(value);
  }
}
