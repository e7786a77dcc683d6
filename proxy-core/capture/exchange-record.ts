// One exchange while and after it happens. The engine feeds it through the ExchangeTap
// methods (cheap: counters and references, no copies); snapshot() builds the contract's
// plain object only when someone looks (a batch, a list, an export).
import type { BodyInfo, BodyPart, Exchange, ExchangeSummary, HeaderPairs, WsMessage } from '../contract/index.js';
import type { ExchangeTap, SentHead, TapStart } from '../engine/index.js';
import { BodyCapture } from './body-capture.js';
import type { StoredExchange } from './stored-exchange.js';
import { FrameReader } from './ws-frames.js';

/** Bytes of each WebSocket message kept for the inspector. */
const WS_PREVIEW_LIMIT = 16 * 1024;
const NO_MARKS: Readonly<Record<string, string>> = Object.freeze({});
const NO_MESSAGES: readonly WsMessage[] = Object.freeze([]);

export interface RecordLimits {
  bodyLimit: number;
  wsMessageLimit: number;
}

/** Node's rawHeaders ([name, value, name, value…]) as pairs. */
export function pairsOf(raw: readonly string[]): HeaderPairs {
  const pairs: HeaderPairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** First value of a header in Node's rawHeaders, by lower-case name. */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === name.length && n.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/**
 * A head Portico sent, as a flat list: an HTTP/1 head string is parsed here, whenever someone
 * reads it, rather than on every request. Only Portico's own writes come this way, never a
 * peer's bytes.
 */
export function flatHead(head: SentHead): readonly string[] {
  if (typeof head !== 'string') return head;
  const flat: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) flat.push(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return flat;
}

const headerBytes = (raw: SentHead) => {
  if (typeof raw === 'string') return raw.length;
  let n = 0;
  for (let i = 0; i < raw.length; i++) n += raw[i]!.length + 2;
  return n;
};

/** Where a record reports its changes: the store keeps its byte budget and batches events. */
export interface RecordOwner {
  recordChanged(record: ExchangeRecord): void;
}

/** Bookkeeping the store keeps with every record besides its size. */
const FIXED_BYTES = 400;

// With capture on, thousands of these live at once and each request makes one: every
// field here is either a number or allocated only when the exchange needs it (marks,
// WebSocket messages), which keeps the store light on the garbage collector.
export class ExchangeRecord implements ExchangeTap, StoredExchange {
  readonly request = new BodyCapture();
  readonly response = new BodyCapture();
  private wsMessages: WsMessage[] | undefined;
  /** Who sent the first close frame starts the close handshake: the one who closed. */
  private firstClose: Pick<WsMessage, 'direction' | 'closeCode'> | undefined;
  messageCount = 0;
  state: Exchange['state'] = 'pending';
  route?: string;
  target?: string;
  status?: number;
  responseRaw: readonly string[] = [];
  /** Set only when they differ in kind from the above: what went to the backend and to the client. */
  backendRequestRaw: SentHead | undefined;
  clientResponseRaw: SentHead | undefined;
  error?: { code: string; message: string };
  private markList: Record<string, string> | undefined;
  private readonly t0: number;
  private throttledAt?: number;
  private connectedAt?: number;
  private firstByteAt?: number;
  private endAt?: number;
  private frameReaders: Partial<Record<WsMessage['direction'], FrameReader>> | undefined;
  /** Bytes the store charged this record with so far (kept by the store). */
  accounted = 0;
  /** The batcher's flags: waiting for the next event, and already sent as started. */
  pending = false;
  announced = false;
  /** Set by the store when the record leaves it. */
  evicted = false;
  /** Set by the store once the record was copied into the archive: later changes are ignored. */
  archived = false;
  /** Set by the store when the record joined the ones waiting for the archive. */
  finishing = false;
  /** Header and message bytes, added up as they arrive rather than on every look. */
  private fixedBytes: number;

  constructor(
    readonly id: string,
    readonly start: TapStart,
    private readonly limits: RecordLimits,
    private readonly owner: RecordOwner,
  ) {
    this.t0 = performance.now();
    this.fixedBytes = FIXED_BYTES + headerBytes(start.rawHeaders);
  }

  /** Bytes this record holds, for the store's budget (an estimate for the small parts). */
  get bytes(): number {
    return this.fixedBytes + this.request.captured + this.response.captured;
  }

  get marks(): Readonly<Record<string, string>> {
    return this.markList ?? NO_MARKS;
  }

  get messages(): readonly WsMessage[] {
    return this.wsMessages ?? NO_MESSAGES;
  }

  bodyBytes(part: BodyPart): Buffer {
    return this[part].bytes();
  }

  bodyInfo(part: BodyPart): BodyInfo {
    const { size, captured, truncated } = this[part];
    return { size, captured, truncated };
  }

  header(part: BodyPart, name: string): string | undefined {
    return rawHeader(part === 'request' ? this.start.rawHeaders : this.responseRaw, name);
  }

  get timings(): Exchange['timings'] {
    return { throttled: this.throttledAt, connected: this.connectedAt, firstByte: this.firstByteAt, end: this.endAt };
  }

  private since(): number {
    return performance.now() - this.t0;
  }

  routed(route: string, target: string): void {
    this.route = route;
    this.target = target;
  }
  throttled(): void {
    this.throttledAt ??= this.since();
  }
  connected(): void {
    this.connectedAt ??= this.since();
  }
  requestData(chunk: Buffer): void {
    this.request.push(chunk, this.limits.bodyLimit);
    this.owner.recordChanged(this);
  }
  responseHead(status: number, rawHeaders: readonly string[]): void {
    this.firstByteAt ??= this.since();
    this.status = status;
    this.fixedBytes += headerBytes(rawHeaders) - headerBytes(this.responseRaw);
    this.responseRaw = rawHeaders;
    this.state = 'responded';
    this.owner.recordChanged(this);
  }
  backendRequestHead(head: SentHead): void {
    this.fixedBytes += headerBytes(head) - headerBytes(this.backendRequestRaw ?? []);
    this.backendRequestRaw = head;
  }
  clientResponseHead(head: SentHead): void {
    this.fixedBytes += headerBytes(head) - headerBytes(this.clientResponseRaw ?? []);
    this.clientResponseRaw = head;
    this.owner.recordChanged(this);
  }
  responseData(chunk: Buffer): void {
    this.response.push(chunk, this.limits.bodyLimit);
    this.owner.recordChanged(this);
  }
  mark(key: string, value: string): void {
    (this.markList ??= {})[key] = value;
  }
  /** Marks from elsewhere (an imported HAR). */
  addMarks(marks: Record<string, string>): void {
    Object.assign((this.markList ??= {}), marks);
  }
  wsClientData(chunk: Buffer): void {
    this.reader('client').push(chunk);
  }
  wsServerData(chunk: Buffer): void {
    this.reader('server').push(chunk);
  }
  private reader(direction: WsMessage['direction']): FrameReader {
    this.frameReaders ??= {};
    return (this.frameReaders[direction] ??= new FrameReader({
      previewLimit: WS_PREVIEW_LIMIT,
      onMessage: ({ opcode, size, preview, previewTruncated, compressed, closeCode }) =>
        this.wsMessage({
          direction,
          opcode,
          size,
          preview,
          previewTruncated,
          ...(compressed && { compressed }),
          ...(closeCode !== undefined && { closeCode }),
        }),
      onError: (error) => this.mark(`ws-${direction}`, `stopped reading frames: ${error.message}`),
    }));
  }
  /** Also used for messages imported from a HAR file. */
  wsMessage(message: Omit<WsMessage, 'at'>, at?: number): void {
    this.messageCount++;
    if (message.opcode === 'close') this.firstClose ??= message;
    const messages = (this.wsMessages ??= []);
    if (messages.length < this.limits.wsMessageLimit) {
      messages.push({ ...message, at: at ?? this.since() });
      this.fixedBytes += message.preview.length + 64;
    }
    this.owner.recordChanged(this);
  }
  wsClosed(firstGone: WsMessage['direction']): void {
    const close = this.firstClose;
    const by = close?.direction ?? firstGone;
    const code = close?.closeCode;
    this.mark(
      'closed',
      `by the ${by === 'client' ? 'client' : 'backend'}${code !== undefined ? `, code ${code}` : close ? ', no code' : ', without a close frame'}`,
    );
  }
  failed(code: string, message: string): void {
    this.fixedBytes += message.length - (this.error?.message.length ?? 0);
    this.error = { code, message };
    this.state = 'failed';
    this.endAt ??= this.since();
    this.owner.recordChanged(this);
  }
  finished(): void {
    if (this.state !== 'failed') this.state = 'done';
    this.endAt ??= this.since();
    this.owner.recordChanged(this);
  }

  /** Timings from elsewhere (an imported HAR) replace the ones measured here. */
  restoreTimings(t: Exchange['timings']): void {
    this.throttledAt = t.throttled;
    this.connectedAt = t.connected;
    this.firstByteAt = t.firstByte;
    this.endAt = t.end;
  }

  /** Everything but the header lists: what a summary and a snapshot share. */
  private fields(): Omit<Exchange, 'requestHeaders' | 'responseHeaders'> {
    const s = this.start;
    return {
      id: this.id,
      kind: s.kind,
      startedAt: s.startedAt,
      timings: this.timings,
      state: this.state,
      client: s.client,
      scheme: s.scheme,
      httpVersion: s.httpVersion,
      method: s.method,
      host: s.host,
      url: s.url,
      route: this.route,
      target: this.target,
      status: this.status,
      request: this.bodyInfo('request'),
      response: this.bodyInfo('response'),
      error: this.error,
      marks: { ...this.marks },
      messageCount: this.messageCount,
    };
  }

  /** What the list shows: no header lists are copied (most exchanges are never opened). */
  summary(): ExchangeSummary {
    const summary: ExchangeSummary = this.fields();
    const contentType = rawHeader(this.responseRaw, 'content-type');
    const contentEncoding = rawHeader(this.responseRaw, 'content-encoding');
    if (contentType !== undefined) summary.contentType = contentType;
    if (contentEncoding !== undefined) summary.contentEncoding = contentEncoding;
    return summary;
  }

  snapshot(): Exchange {
    const exchange: Exchange = { ...this.fields(), requestHeaders: pairsOf(this.start.rawHeaders), responseHeaders: pairsOf(this.responseRaw) };
    if (this.backendRequestRaw) exchange.backendRequestHeaders = pairsOf(flatHead(this.backendRequestRaw));
    if (this.clientResponseRaw) exchange.clientResponseHeaders = pairsOf(flatHead(this.clientResponseRaw));
    return exchange;
  }
}
