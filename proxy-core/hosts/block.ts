// The hosts-file block Portico owns, as pure text planning: old text + names → new text.
// Everything outside the block is kept byte for byte (the caller reads and writes the
// file as latin1, so even bytes that are not UTF-8 survive); CRLF files stay CRLF.

export const BEGIN_MARK = '# BEGIN portico';
export const END_MARK = '# END portico';
const NOTE = '# Managed by Portico (portico hosts): lines in this block are replaced on every change.';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export class HostsFileError extends Error {
  override readonly name = 'HostsFileError';
}

/** Lower-cased, de-duplicated, sorted; a hosts file has no wildcards and no addresses as names. */
export function normalizeNames(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (name.startsWith('*.')) throw new HostsFileError(`${raw}: a hosts file cannot hold wildcards; list each name`);
    if (!NAME.test(name) || /^[\d.]+$/.test(name)) throw new HostsFileError(`${raw}: not a host name`);
    out.add(name);
  }
  return [...out].sort();
}

const isBegin = (line: string) => /^[ \t]*# BEGIN portico\b/.test(line);
const isEnd = (line: string) => /^[ \t]*# END portico\b/.test(line);

/** The text as lines that keep their own line endings, so joining them gives the text back. */
const splitKeepingEol = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

interface Found {
  lines: string[];
  /** [begin, end] line indexes of each block, in order. */
  blocks: [number, number][];
}

function findBlocks(text: string): Found {
  const lines = splitKeepingEol(text);
  const blocks: [number, number][] = [];
  let open: number | undefined;
  lines.forEach((line, i) => {
    if (isBegin(line)) {
      if (open !== undefined) throw new HostsFileError(`"${BEGIN_MARK}" on line ${i + 1} inside the block begun on line ${open + 1}: fix the file by hand`);
      open = i;
    } else if (isEnd(line)) {
      if (open === undefined) throw new HostsFileError(`"${END_MARK}" on line ${i + 1} has no "${BEGIN_MARK}" before it: fix the file by hand`);
      blocks.push([open, i]);
      open = undefined;
    }
  });
  if (open !== undefined) throw new HostsFileError(`"${BEGIN_MARK}" on line ${open + 1} is never closed by "${END_MARK}": fix the file by hand`);
  return { lines, blocks };
}

/** The names in Portico's block(s), as written there. */
export function namesInBlock(text: string): string[] {
  const { lines, blocks } = findBlocks(text);
  const names = new Set<string>();
  for (const [begin, end] of blocks) {
    for (const line of lines.slice(begin + 1, end)) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length >= 2) words.slice(1).forEach((n) => names.add(n.toLowerCase()));
    }
  }
  return [...names].sort();
}

export function blockLines(names: readonly string[]): string[] {
  return [BEGIN_MARK, NOTE, ...names.flatMap((n) => [`127.0.0.1 ${n}`, `::1 ${n}`]), END_MARK];
}

/**
 * The file's new text with exactly `names` in Portico's block: replaced where the block
 * is (several blocks merge into the first), appended when there is none, removed when
 * `names` is empty. Throws HostsFileError for a broken block rather than guess.
 */
export function planHostsText(oldText: string, names: readonly string[]): string {
  const wanted = normalizeNames(names);
  const { lines, blocks } = findBlocks(oldText);
  const eol = /\r\n/.test(oldText) ? '\r\n' : '\n';
  const render = (lastEol: boolean) => {
    const body = blockLines(wanted);
    return wanted.length === 0 ? [] : body.map((l, i) => l + (i < body.length - 1 || lastEol ? eol : ''));
  };
  const first = blocks[0];
  if (!first) {
    if (wanted.length === 0) return oldText;
    const sep = oldText !== '' && !oldText.endsWith('\n') ? eol : '';
    return oldText + sep + render(true).join('');
  }
  const out: string[] = [];
  let i = 0;
  for (const [begin, end] of blocks) {
    out.push(...lines.slice(i, begin));
    // Keep the END line's own ending (or lack of one at end of file) so what follows is untouched.
    if (begin === first[0]) out.push(...render(/\n$/.test(lines[end] ?? '')));
    i = end + 1;
  }
  out.push(...lines.slice(i));
  return out.join('');
}
