// The list's columns: one grid template for the header and every row, fixed widths except
// the path, so nothing shifts as rows stream in.
import type { ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { formatBytes, formatDuration, formatTime, shortType } from '../../lib/format.js';

export interface Column {
  key: string;
  label: string;
  width: string;
  align?: 'right';
  /** Left out when the list is narrow (a small window, or the detail pane beside it). */
  wide?: true;
  value: (x: ExchangeSummary) => string;
  /** What sorting compares, when not the text shown. */
  sortKey?: (x: ExchangeSummary) => number | string;
}

/** Cache and encoding go in "marks"; the engine's own notes ("portico": why it answered) too. */
function marks(x: ExchangeSummary): string {
  const parts = Object.entries(x.marks).map(([k, v]) => (k === 'portico' ? v : `${k} ${v}`));
  const encoding = x.contentEncoding;
  if (encoding && !x.marks['encoding']) parts.push(encoding);
  if (x.kind === 'websocket') parts.push(`${x.messageCount} msg`);
  return parts.join(' · ');
}

export function statusText(x: ExchangeSummary): string {
  if (x.state === 'failed' && x.status === undefined) return x.error?.code ?? 'failed';
  if (x.status === undefined) return '…';
  return String(x.status);
}

export const COLUMNS: Column[] = [
  { key: 'time', label: 'Time', width: '100px', wide: true, value: (x) => formatTime(x.startedAt), sortKey: (x) => x.startedAt },
  { key: 'method', label: 'Method', width: '64px', value: (x) => (x.kind === 'websocket' ? 'WS' : x.method) },
  // The scheme in front, so the HTTP and HTTPS rows of one host tell themselves apart.
  { key: 'host', label: 'Host', width: 'minmax(130px, 22%)', value: (x) => `${x.scheme}://${x.host}` },
  { key: 'path', label: 'Path', width: 'minmax(160px, 1fr)', value: (x) => x.url },
  { key: 'status', label: 'Status', width: '58px', value: statusText, sortKey: (x) => x.status ?? 0 },
  { key: 'type', label: 'Type', width: '64px', wide: true, value: (x) => shortType(x.contentType) },
  {
    key: 'size',
    label: 'Size',
    width: '72px',
    align: 'right',
    wide: true,
    value: (x) => (x.status === undefined ? '' : formatBytes(x.response.size)),
    sortKey: (x) => x.response.size,
  },
  { key: 'duration', label: 'Duration', width: '72px', align: 'right', value: (x) => formatDuration(x.timings.end), sortKey: (x) => x.timings.end ?? Infinity },
  { key: 'marks', label: 'Marks', width: 'minmax(80px, 12%)', wide: true, value: marks },
];

export const COMPACT_COLUMNS = COLUMNS.filter((c) => !c.wide);

/** Below this width the list drops the "wide" columns: the path needs the room more. */
export const COMPACT_BELOW_PX = 760;

export const columnsFor = (width: number): Column[] => (width < COMPACT_BELOW_PX ? COMPACT_COLUMNS : COLUMNS);

export const gridTemplate = (columns: readonly Column[]): string => columns.map((c) => c.width).join(' ');

export function statusClass(x: ExchangeSummary): string {
  if (x.state === 'failed' || x.error) return 'st-bad';
  const s = x.status ?? 0;
  if (s >= 500 || s >= 400) return 'st-bad';
  if (s >= 300) return 'st-redirect';
  if (s === 0) return 'st-pending';
  return 'st-ok';
}
