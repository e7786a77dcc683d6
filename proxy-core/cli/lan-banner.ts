// What `portico serve` prints about LAN sharing when it is on: per shared host the
// address other devices use, the link that hands them the token once, and that link as a
// QR code for a phone's camera. Pure, for a test and a later reprint.
import { renderUnicodeCompact } from 'uqr';
import type { LanStatus } from '../contract/index.js';

export function lanLines(status: LanStatus, tokenFile: string): string[] {
  if (!status.enabled) return [];
  if (status.error !== undefined && status.shares.length === 0) return [`LAN     sharing is on but not serving: ${status.error}`];
  if (status.shares.length === 0) return ['LAN     sharing is on; no route is shared yet (set "share": true on one)'];
  const lines = [`LAN     sharing on ${status.address} over plain HTTP; a device opens the link (or scans the code) once`];
  if (status.error !== undefined) lines.push(`LAN     not everything could be shared: ${status.error}`);
  for (const share of status.shares) {
    lines.push(`  ${share.url}  →  ${share.routes.join(', ')}`, `  link  ${share.link}`, indent(renderUnicodeCompact(share.link)));
  }
  lines.push(`Token   ${tokenFile}  (delete it and restart to lock every device out)`);
  return lines;
}

const indent = (block: string): string =>
  block
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
