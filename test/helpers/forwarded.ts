// A strict RFC 7239 `Forwarded` parser: throws on anything the grammar does not allow.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const QUOTED = /^"((?:[^"\\]|\\.)*)"/;

export type ForwardedElement = Record<string, string>;

/**
 * Forwarded = 1#forwarded-element; forwarded-element = [pair] *( ";" [pair] );
 * pair = token "=" ( token / quoted-string ). Parameter names are lower-cased.
 */
export function parseForwarded(header: string): ForwardedElement[] {
  const elements: ForwardedElement[] = [];
  let rest = header;
  let element: ForwardedElement = {};
  const fail = (why: string): never => {
    throw new Error(`invalid Forwarded header ${JSON.stringify(header)}: ${why} at ${JSON.stringify(rest)}`);
  };
  for (;;) {
    const name = TOKEN.exec(rest);
    if (!name) fail('expected a parameter name');
    rest = rest.slice(name![0].length);
    if (!rest.startsWith('=')) fail('expected "="');
    rest = rest.slice(1);
    const quoted = QUOTED.exec(rest);
    const token = quoted ? null : TOKEN.exec(rest);
    if (quoted) {
      element[name![0].toLowerCase()] = quoted[1]!.replace(/\\(.)/g, '$1');
      rest = rest.slice(quoted[0].length);
    } else if (token) {
      element[name![0].toLowerCase()] = token[0];
      rest = rest.slice(token[0].length);
    } else {
      fail('expected a token or a quoted-string value');
    }
    if (rest === '') break;
    if (rest.startsWith(';')) {
      rest = rest.slice(1);
      continue;
    }
    const comma = /^[ \t]*,[ \t]*/.exec(rest);
    if (!comma) fail('expected ";" or ","');
    rest = rest.slice(comma![0].length);
    elements.push(element);
    element = {};
  }
  elements.push(element);
  return elements;
}
