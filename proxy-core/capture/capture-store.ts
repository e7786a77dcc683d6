// The bounded store of captured exchanges: by count and by bytes, oldest evicted first.
// It is the engine's Recorder; the control service reads it and relays its changes.
import type { CaptureSettings, CapturedBody, Exchange, ExchangeSummary, WsMessage } from '../contract/index.js';
import type { Recorder, TapStart } from '../engine/index.js';
import { decodeBody } from './decode.js';
import { ExchangeRecord, rawHeader, type RecordOwner } from './exchange-record.js';
import { RecordQueue } from './record-queue.js';

export type RecordChange = 'started' | 'updated' | 'finished';

export interface StoreListener {
  changed(record: ExchangeRecord, change: RecordChange): void;
  /** Records that left the store (their `evicted` flag is set). */
  evicted(records: ExchangeRecord[]): void;
}

/** Compiled `capture.ignore` rules: host pattern (exact or *.suffix) and optional prefix. */
function ignoreMatcher(rules: CaptureSettings['ignore']): (host: string, url: string) => boolean {
  if (rules.length === 0) return () => false;
  return (hostHeader, url) => {
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    return rules.some((rule) => {
      const hostOk = rule.host.startsWith('*.') ? host.endsWith(rule.host.slice(1)) : host === rule.host;
      if (!hostOk || !rule.pathPrefix) return hostOk;
      return url === rule.pathPrefix || url.startsWith(rule.pathPrefix + '/') || url.startsWith(rule.pathPrefix + '?');
    });
  };
}

export class CaptureStore implements Recorder, RecordOwner {
  private readonly records = new RecordQueue();
  private totalBytes = 0;
  private nextId = 1;
  private ignored: (host: string, url: string) => boolean;
  paused = false;

  constructor(
    private settings: CaptureSettings,
    private readonly listener?: StoreListener,
  ) {
    this.ignored = ignoreMatcher(settings.ignore);
  }

  get active(): boolean {
    return this.settings.enabled && !this.paused;
  }

  configure(settings: CaptureSettings): void {
    this.settings = settings;
    this.ignored = ignoreMatcher(settings.ignore);
    this.enforceBounds();
  }

  stats(): { exchanges: number; bytes: number } {
    return { exchanges: this.records.size, bytes: this.totalBytes };
  }

  begin(start: TapStart): ExchangeRecord | undefined {
    if (this.ignored(start.host, start.url)) return undefined;
    return this.add(start);
  }

  private add(start: TapStart): ExchangeRecord {
    const seq = this.nextId++;
    const record = new ExchangeRecord(`x${seq}`, start, this.settings, this);
    this.records.push(record, seq);
    this.account(record);
    this.listener?.changed(record, 'started');
    this.enforceBounds();
    return record;
  }

  /** Called by a record on every change: cheap, since a busy proxy calls it several times per request. */
  recordChanged(record: ExchangeRecord): void {
    if (record.evicted) return; // evicted while still in flight
    this.listener?.changed(record, record.state === 'done' || record.state === 'failed' ? 'finished' : 'updated');
    if (this.account(record)) this.enforceBounds();
  }

  /** True when the record grew. */
  private account(record: ExchangeRecord): boolean {
    const bytes = record.bytes;
    if (bytes === record.accounted) return false;
    this.totalBytes += bytes - record.accounted;
    record.accounted = bytes;
    return true;
  }

  /** Oldest first, but never the only exchange left: a huge one stays until the next comes. */
  private enforceBounds(): void {
    if (this.records.size <= this.settings.maxExchanges && this.totalBytes <= this.settings.maxBytes) return;
    const evicted: ExchangeRecord[] = [];
    while (this.records.size > 1 && (this.records.size > this.settings.maxExchanges || this.totalBytes > this.settings.maxBytes)) {
      const record = this.records.shift()!;
      this.totalBytes -= record.accounted;
      record.evicted = true;
      evicted.push(record);
    }
    if (evicted.length > 0) this.listener?.evicted(evicted);
  }

  list(limit?: number): Exchange[] {
    return this.records.newest(limit).map((r) => r.snapshot());
  }

  /** The list's view of the newest `limit` exchanges (all when undefined), oldest first. */
  summaries(limit?: number): ExchangeSummary[] {
    return this.records.newest(limit).map((r) => r.summary());
  }

  get(id: string): ExchangeRecord | undefined {
    return id.startsWith('x') ? this.records.get(Number(id.slice(1))) : undefined;
  }

  /** Drops the exchange `id` and every older one; the listener hears of them as evicted. */
  clearThrough(id: string): number {
    const last = id.startsWith('x') ? Number(id.slice(1)) : NaN;
    if (!Number.isInteger(last)) return 0;
    const evicted: ExchangeRecord[] = [];
    for (let oldest = this.records.oldest(); oldest && Number(oldest.id.slice(1)) <= last; oldest = this.records.oldest()) {
      this.records.shift();
      this.totalBytes -= oldest.accounted;
      oldest.evicted = true;
      evicted.push(oldest);
    }
    if (evicted.length > 0) this.listener?.evicted(evicted);
    return evicted.length;
  }

  clear(): number {
    const n = this.records.size;
    for (const record of this.records.values()) record.evicted = true;
    this.records.clear();
    this.totalBytes = 0;
    return n;
  }

  body(record: ExchangeRecord, part: 'request' | 'response'): CapturedBody {
    const capture = part === 'request' ? record.request : record.response;
    const raw = part === 'request' ? record.start.rawHeaders : record.responseRaw;
    const header = (name: string) => rawHeader(raw, name);
    const bytes = capture.bytes();
    const encoding = header('content-encoding');
    const { decoded, error } = decodeBody(bytes, encoding);
    return {
      raw: bytes.toString('base64'),
      decoded: decoded?.toString('base64'),
      encoding,
      contentType: header('content-type'),
      size: capture.size,
      truncated: capture.truncated,
      decodeError: error,
    };
  }

  messages(record: ExchangeRecord): WsMessage[] {
    return [...record.messages];
  }

  /** Adds finished exchanges from elsewhere (a HAR file). */
  importExchange(item: { exchange: Omit<Exchange, 'id'>; request?: Buffer; response?: Buffer; messages?: WsMessage[] }): ExchangeRecord {
    const x = item.exchange;
    const flat = (pairs: [string, string][]) => pairs.flat();
    const record = this.add({ ...x, rawHeaders: flat(x.requestHeaders) });
    // Browser HARs hold whole bodies: the same limit applies as to live traffic.
    const limit = this.settings.bodyLimit;
    const cut = (body: Buffer, info: Exchange['request']) =>
      [body.subarray(0, limit), Math.max(info.size, body.length), info.truncated || body.length > limit] as const;
    if (item.request) record.request.restore(...cut(item.request, x.request));
    if (x.route !== undefined || x.target !== undefined) record.routed(x.route ?? '', x.target ?? '');
    if (x.status !== undefined) record.responseHead(x.status, flat(x.responseHeaders));
    if (item.response) record.response.restore(...cut(item.response, x.response));
    for (const { at, ...message } of item.messages ?? []) record.wsMessage(message, at);
    record.addMarks({ ...x.marks, imported: 'HAR' });
    if (x.error) record.failed(x.error.code, x.error.message);
    else record.finished();
    record.restoreTimings(x.timings);
    return record;
  }
}
