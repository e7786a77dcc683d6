// The bounded store of captured exchanges: by count and by bytes, oldest evicted first.
// It is the engine's Recorder; the control service reads it and relays its changes.
// Exchanges in flight are live records on the heap; shortly after one finishes it is
// encoded into the archive (slabs off the JS heap) and its record let go, so a store of
// 50,000 exchanges costs the garbage collector next to nothing.
import type { BodyPart, CaptureSettings, CapturedBody, Exchange, ExchangeSummary, WsMessage } from '../contract/index.js';
import type { Recorder, TapStart } from '../engine/index.js';
import { decodeBody } from './decode.js';
import { Archive } from './archive/archive.js';
import { ArchivedExchange } from './archive/archived-exchange.js';
import { ExchangeRecord, type RecordOwner } from './exchange-record.js';
import { RecordQueue } from './record-queue.js';
import type { StoredExchange } from './stored-exchange.js';

export type RecordChange = 'started' | 'updated' | 'finished';

/**
 * How often finished records move to the archive. A record waits at least one round, so
 * what the engine still adds just after the end (a late mark, a close) lands, and the
 * batcher (which holds a record until its next flush) has let go of it.
 */
const ARCHIVE_EVERY_MS = 100;

const seqOf = (id: string): number => (id.startsWith('x') ? Number(id.slice(1)) : NaN);

export interface StoreListener {
  changed(record: ExchangeRecord, change: RecordChange): void;
  /** Exchanges that left the store: live records (their `evicted` flag set) and the ids of archived ones. */
  evicted(records: readonly ExchangeRecord[], archivedIds: readonly string[]): void;
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
  private readonly archive = new Archive();
  /** Finished in this round, and in the one before (archived at the next sweep). */
  private finishing: ExchangeRecord[] = [];
  private settled: ExchangeRecord[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private totalBytes = 0;
  private nextId = 1;
  private ignored: (host: string, url: string) => boolean;
  paused = false;

  private readonly archiveEveryMs: number;

  constructor(
    private settings: CaptureSettings,
    private readonly listener?: StoreListener,
    /** `archiveEveryMs: Infinity` archives only when archiveFinished() is called (tests). */
    options: { archiveEveryMs?: number } = {},
  ) {
    this.ignored = ignoreMatcher(settings.ignore);
    this.archiveEveryMs = options.archiveEveryMs ?? ARCHIVE_EVERY_MS;
  }

  get active(): boolean {
    return this.settings.enabled && !this.paused;
  }

  configure(settings: CaptureSettings): void {
    this.settings = settings;
    this.ignored = ignoreMatcher(settings.ignore);
    this.enforceBounds();
  }

  /** Exchanges kept and the bytes charged for them; `heldBytes` is what the archive's slabs hold. */
  stats(): { exchanges: number; bytes: number; heldBytes: number } {
    return { exchanges: this.records.size, bytes: this.totalBytes, heldBytes: this.archive.heldBytes };
  }

  /** Resolves once the archive has packed its full slabs (tests, measurements). */
  archivePacked(): Promise<void> {
    return this.archive.packed();
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
    if (record.evicted || record.archived) return; // gone while still in flight, or already archived
    const done = record.state === 'done' || record.state === 'failed';
    this.listener?.changed(record, done ? 'finished' : 'updated');
    if (done && !record.finishing) {
      record.finishing = true;
      this.finishing.push(record);
      this.scheduleSweep();
    }
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

  /** Archives the records that finished a round ago; the newer ones wait for the next. */
  private sweep(): void {
    this.sweepTimer = undefined;
    const ready = this.settled;
    this.settled = this.finishing;
    this.finishing = [];
    this.archiveAll(ready);
  }

  /**
   * Archives finished records; the ones still waiting in the batcher's next event wait one
   * more round. Returns how many went into the archive.
   */
  private archiveAll(records: readonly ExchangeRecord[]): number {
    let archived = 0;
    let grew = false;
    for (const record of records) {
      if (record.evicted) continue;
      if (record.pending) this.settled.push(record);
      else {
        grew = this.toArchive(record) || grew;
        archived++;
      }
    }
    if (grew) this.enforceBounds();
    if (this.settled.length > 0) this.scheduleSweep();
    return archived;
  }

  private scheduleSweep(): void {
    if (Number.isFinite(this.archiveEveryMs)) this.sweepTimer ??= setTimeout(() => this.sweep(), this.archiveEveryMs).unref();
  }

  /** Archives every finished record the batcher has let go of, now; returns how many. */
  archiveFinished(): number {
    const waiting = [...this.settled, ...this.finishing];
    this.settled = [];
    this.finishing = [];
    return this.archiveAll(waiting);
  }

  /** Moves a finished record into the archive; true when the store's bytes grew. */
  private toArchive(record: ExchangeRecord): boolean {
    const seq = seqOf(record.id);
    const bytes = this.archive.put(seq, record);
    this.records.release(seq);
    record.archived = true;
    this.totalBytes += bytes - record.accounted;
    const grew = bytes > record.accounted;
    record.accounted = bytes;
    return grew;
  }

  /** Oldest first, but never the only exchange left: a huge one stays until the next comes. */
  private enforceBounds(): void {
    if (this.records.size <= this.settings.maxExchanges && this.totalBytes <= this.settings.maxBytes) return;
    const evicted: ExchangeRecord[] = [];
    const archivedIds: string[] = [];
    while (this.records.size > 1 && (this.records.size > this.settings.maxExchanges || this.totalBytes > this.settings.maxBytes)) {
      this.evictOldest(evicted, archivedIds);
    }
    if (evicted.length + archivedIds.length > 0) this.listener?.evicted(evicted, archivedIds);
  }

  private evictOldest(evicted: ExchangeRecord[], archivedIds: string[]): void {
    const seq = this.records.oldestSeq;
    const record = this.records.shift();
    const archivedBytes = this.archive.drop(seq);
    if (record) {
      this.totalBytes -= record.accounted;
      record.evicted = true;
      evicted.push(record);
    } else {
      this.totalBytes -= archivedBytes;
      archivedIds.push(`x${seq}`);
    }
  }

  /** The exchange numbered `seq`: its live record, its archived view, or undefined when gone. */
  private at(seq: number): StoredExchange | undefined {
    const live = this.records.get(seq);
    if (live) return live;
    const bytes = this.archive.get(seq);
    return bytes && new ArchivedExchange(`x${seq}`, bytes, this.archive.strings);
  }

  /** Every stored exchange, oldest first (the newest `limit` when given), read as they are reached. */
  *exchanges(limit?: number): IterableIterator<StoredExchange> {
    const [from, end] = this.records.newest(limit);
    for (let seq = from; seq < end; seq++) {
      const found = this.at(seq);
      if (found) yield found;
    }
  }

  list(limit?: number): Exchange[] {
    return Array.from(this.exchanges(limit), (x) => x.snapshot());
  }

  /** The list's view of the newest `limit` exchanges (all when undefined), oldest first. */
  summaries(limit?: number): ExchangeSummary[] {
    return Array.from(this.exchanges(limit), (x) => x.summary());
  }

  get(id: string): StoredExchange | undefined {
    const seq = seqOf(id);
    return this.records.has(seq) ? this.at(seq) : undefined;
  }

  /** Drops the exchange `id` and every older one; the listener hears of them as evicted. */
  clearThrough(id: string): number {
    const last = seqOf(id);
    if (!Number.isInteger(last)) return 0;
    const evicted: ExchangeRecord[] = [];
    const archivedIds: string[] = [];
    while (this.records.size > 0 && this.records.oldestSeq <= last) this.evictOldest(evicted, archivedIds);
    const count = evicted.length + archivedIds.length;
    if (count > 0) this.listener?.evicted(evicted, archivedIds);
    return count;
  }

  clear(): number {
    const n = this.records.size;
    // Only live records hear of it: an archived exchange has no object to tell.
    const [from, end] = this.records.newest();
    for (let seq = from; seq < end; seq++) {
      const live = this.records.get(seq);
      if (live) live.evicted = true;
    }
    this.records.clear();
    this.archive.clear(this.nextId);
    this.finishing = [];
    this.settled = [];
    this.totalBytes = 0;
    return n;
  }

  body(record: StoredExchange, part: BodyPart): CapturedBody {
    const bytes = record.bodyBytes(part);
    const encoding = record.header(part, 'content-encoding');
    const { decoded, error } = decodeBody(bytes, encoding);
    const { size, truncated } = record.bodyInfo(part);
    return {
      raw: bytes.toString('base64'),
      decoded: decoded?.toString('base64'),
      encoding,
      contentType: record.header(part, 'content-type'),
      size,
      truncated,
      decodeError: error,
    };
  }

  messages(record: StoredExchange): WsMessage[] {
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
