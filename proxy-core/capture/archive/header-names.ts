// Header names are few and repeat on every exchange: each is stored once here and an
// exchange keeps its number. Names from hostile clients could be endless, so only short
// ones are kept and the table has a ceiling; the rest are written out in full.

/** The number that says "the name follows as text". */
export const LITERAL_NAME = 0xffff;
const MAX_NAMES = 4096;
const MAX_NAME_LENGTH = 64;

export class HeaderNames {
  private readonly numbers = new Map<string, number>();
  private readonly names: string[] = [];

  /** The name's number, or LITERAL_NAME when it is not (and will not be) in the table. */
  numberOf(name: string): number {
    const known = this.numbers.get(name);
    if (known !== undefined) return known;
    if (name.length > MAX_NAME_LENGTH || this.names.length >= MAX_NAMES) return LITERAL_NAME;
    this.numbers.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }

  nameOf(number: number): string {
    const name = this.names[number];
    if (name === undefined) throw new Error(`no header name number ${number}`);
    return name;
  }
}
