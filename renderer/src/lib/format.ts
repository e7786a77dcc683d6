// Number and time formats shared by the views, fixed-width friendly (tabular figures).

/** "1.0" → "1": the body limit reads "1 MiB", as people say it. */
const trim = (s: string) => s.replace(/\.0$/, '');

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${trim((n / 1024).toFixed(n < 10 * 1024 ? 1 : 0))} KiB`;
  if (n < 1024 * 1024 * 1024) return `${trim((n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0))} MiB`;
  return `${trim((n / 1024 / 1024 / 1024).toFixed(1))} GiB`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 14:03:07.123 — the local wall clock, as a log would show it. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The short type shown in the list: "json", "html", "png"… from a Content-Type. */
export function shortType(contentType: string | undefined): string {
  if (!contentType) return '';
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  if (mime.endsWith('+json') || mime === 'application/json') return 'json';
  if (mime === 'text/javascript' || mime === 'application/javascript') return 'js';
  if (mime === 'text/plain') return 'text';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime === 'application/octet-stream') return 'binary';
  const sub = mime.split('/')[1] ?? mime;
  return sub.replace(/^x-/, '').replace(/\+xml$/, '');
}

export function header(pairs: readonly (readonly [string, string])[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return pairs.find(([n]) => n.toLowerCase() === lower)?.[1];
}
