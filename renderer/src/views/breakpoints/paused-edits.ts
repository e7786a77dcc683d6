// A paused exchange as editable text (headers as "name: value" lines, the body as text,
// JSON pretty-printed) and back: only what the person changed goes into the edits, so an
// untouched pretty-printed body is sent as the original bytes.
import type { BreakpointEdits, Paused } from '../../../../proxy-core/contract/index.js';
import { base64ToBytes, looksLikeText, utf8 } from '../../lib/bytes.js';

export interface PausedText {
  method: string;
  url: string;
  status: string;
  headers: string;
  body: string;
  /** Why the body cannot be shown as text (binary, encoded), or undefined. */
  bodyNote: string | undefined;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function textOf(p: Paused): PausedText {
  const bytes = base64ToBytes(p.body);
  const decoded = p.encoding ? undefined : utf8(bytes);
  const isText = decoded !== undefined && looksLikeText(decoded);
  const type = p.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const body = isText ? (/json/i.test(type) || /^\s*[[{]/.test(decoded) ? prettyJson(decoded) : decoded) : '';
  const bodyNote = isText
    ? undefined
    : p.encoding
      ? `${p.encoding}-encoded body (${bytes.length} bytes): text typed here replaces it, sent unencoded.`
      : `Binary body (${bytes.length} bytes): text typed here replaces it.`;
  return {
    method: p.method,
    url: p.url,
    status: String(p.status ?? ''),
    headers: p.headers.map(([n, v]) => `${n}: ${v}`).join('\n'),
    body,
    bodyNote,
  };
}

/** "name: value" lines → header pairs; lines without a name are skipped. */
export function pairs(lines: string): [string, string][] {
  return lines.split('\n').flatMap((line): [string, string][] => {
    const at = line.indexOf(':');
    return at <= 0 ? [] : [[line.slice(0, at).trim(), line.slice(at + 1).trim()]];
  });
}

export function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The edits between what was shown and what is in the editor now. */
export function editsBetween(p: Paused, before: PausedText, now: PausedText): BreakpointEdits {
  const edits: BreakpointEdits = {};
  if (p.phase === 'request') {
    if (now.method.trim() !== before.method) edits.method = now.method.trim().toUpperCase();
    if (now.url.trim() !== before.url) edits.url = now.url.trim();
  } else if (now.status.trim() !== before.status) edits.status = Number(now.status.trim());
  if (now.headers !== before.headers) edits.headers = pairs(now.headers).filter(([name]) => name.toLowerCase() !== 'content-length');
  if (now.body !== before.body) edits.body = utf8Base64(now.body);
  return edits;
}
