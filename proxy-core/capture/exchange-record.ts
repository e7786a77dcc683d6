// One exchange while and after it happens. The engine feeds it through the ExchangeTap
// methods (cheap: counters and references, no copies); snapshot() builds the contract's
// plain object only when someone looks (a batch, a list, an export).
import type { Exchange, HeaderPairs, WsMessage } from '../contract/index.js';
import type { ExchangeTap, TapStart } from '../engine/index.js';
import { BodyCapture } from './body-capture.js';
import { FrameReader } from './ws-frames.js';

/** Bytes of each WebSocket message kept for the inspector. */
const WS_PREVIEW_LIMIT = 16 * 1024;

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

const headerBytes = (raw: readonly string[]) => raw.reduce((n, s) => n + s.length + 2, 0);

export class ExchangeRecord implements ExchangeTap {
  readonly request = new BodyCapture();
  readonly response = new BodyCapture();
  readonly messages: WsMessage[] = [];
  messageCount = 0;
  state: Exchange['state'] = 'pending';
  route?: string;
  target?: string;
  status?: number;
  responseRaw: readonly string[] = [];
  error?: { code: string; message: string };
  readonly marks: Record<string, string> = {};
  private readonly t0: number;
  private connectedAt?: number;
  private firstByteAt?: number;
  private endAt?: number;
  private readonly frameReaders: Partial<Record<WsMessage['direction'], FrameReader>> = {};

  constructor(
    readonly id: string,
    readonly start: TapStart,
    private readonly limits: RecordLimits,
    /** Told of every change so the store can batch events and keep its byte budget. */
    private readonly changed: (record: ExchangeRecord) => void,
  ) {
    this.t0 = performance.now();
  }

  /** Bytes the store charged this record with so far (kept by the store). */
  accounted = 0;
  private messageBytes = 0;

  /** Bytes this record holds, for the store's budget (an estimate for the small parts). */
  get bytes(): number {
    const fixed = 400 + (this.error ? this.error.message.length : 0);
    return fixed + headerBytes(this.start.rawHeaders) + headerBytes(this.responseRaw) + this.request.captured + this.response.captured + this.messageBytes;
  }

  private since(): number {
    return performance.now() - this.t0;
  }

  routed(route: string, target: string): void {
    this.route = route;
    this.target = target;
  }
  connected(): void {
    this.connectedAt ??= this.since();
  }
  requestData(chunk: Buffer): void {
    this.request.push(chunk, this.limits.bodyLimit);
    this.changed(this);
  }
  responseHead(status: number, rawHeaders: readonly string[]): void {
    this.firstByteAt ??= this.since();
    this.status = status;
    this.responseRaw = rawHeaders;
    this.state = 'responded';
    this.changed(this);
  }
  responseData(chunk: Buffer): void {
    this.response.push(chunk, this.limits.bodyLimit);
    this.changed(this);
  }
  mark(key: string, value: string): void {
    this.marks[key] = value;
  }
  wsClientData(chunk: Buffer): void {
    this.reader('client').push(chunk);
  }
  wsServerData(chunk: Buffer): void {
    this.reader('server').push(chunk);
  }
  private reader(direction: WsMessage['direction']): FrameReader {
    return (this.frameReaders[direction] ??= new FrameReader({
      previewLimit: WS_PREVIEW_LIMIT,
      onMessage: ({ opcode, size, preview, previewTruncated, compressed, closeCode }) =>
        this.wsMessage({ direction, opcode, size, preview, previewTruncated, ...(compressed && { compressed }), ...(closeCode !== undefined && { closeCode }) }),
      onError: (error) => this.mark(`ws-${direction}`, `stopped reading frames: ${error.message}`),
    }));
  }
  /** Also used for messages imported from a HAR file. */
  wsMessage(message: Omit<WsMessage, 'at'>, at?: number): void {
    this.messageCount++;
    if (this.messages.length < this.limits.wsMessageLimit) {
      this.messages.push({ ...message, at: at ?? this.since() });
      this.messageBytes += message.preview.length + 64;
      this.changed(this);
    } else {
      this.changed(this);
    }
  }
  failed(code: string, message: string): void {
    this.error = { code, message };
    this.state = 'failed';
    this.endAt ??= this.since();
    this.changed(this);
  }
  finished(): void {
    if (this.state !== 'failed') this.state = 'done';
    this.endAt ??= this.since();
    this.changed(this);
  }

  /** Timings from elsewhere (an imported HAR) replace the ones measured here. */
  restoreTimings(t: Exchange['timings']): void {
    this.connectedAt = t.connected;
    this.firstByteAt = t.firstByte;
    this.endAt = t.end;
  }

  snapshot(): Exchange {
    const s = this.start;
    return {
      id: this.id,
      kind: s.kind,
      startedAt: s.startedAt,
      timings: { connected: this.connectedAt, firstByte: this.firstByteAt, end: this.endAt },
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
      requestHeaders: pairsOf(s.rawHeaders),
      responseHeaders: pairsOf(this.responseRaw),
      request: { size: this.request.size, captured: this.request.captured, truncated: this.request.truncated },
      response: { size: this.response.size, captured: this.response.captured, truncated: this.response.truncated },
      error: this.error,
      marks: { ...this.marks },
      messageCount: this.messageCount,
    };
  }
}
