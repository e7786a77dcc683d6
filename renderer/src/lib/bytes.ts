// Bodies arrive base64-encoded; these turn them into bytes and text for display.

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 text, or undefined when the bytes are not valid UTF-8 (then it is binary). */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text that looks like text: valid UTF-8 without control characters other than whitespace. */
export function looksLikeText(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we look for
  return !/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096));
}

/** Classic hex dump: offset, 16 bytes in hex, then the printable ASCII. */
export function hexDump(bytes: Uint8Array, limit = 64 * 1024): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
