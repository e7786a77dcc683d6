// An incremental RFC 6455 frame reader for ONE direction of a proxied WebSocket. The proxy
// pipes bytes untouched; this only watches them to record messages, so it must stay cheap
// and bounded whatever the peers send: each frame's payload is skipped in place, and only
// the first `previewLimit` bytes of a message are ever copied.
//
// Memory per reader: a 14-byte header buffer (the longest header: 2 + 8 length + 4 mask)
// plus at most `previewLimit` bytes of the current message's preview. A control frame
// arriving in the middle of a fragmented message adds its own payload (at most 125 bytes,
// RFC 6455 §5.5) until it ends, because it is reported before the message it interrupts.
//
// permessage-deflate (RFC 7692): a message whose first frame has RSV1 set is compressed.
// Inflating it would need the sliding window of every earlier message on the connection
// (context takeover) and unbounded output per input byte, so it is out of scope: such a
// message is reported with `compressed: true` and a base64 preview of the raw bytes.

export type WsOpcodeName = 'text' | 'binary' | 'close' | 'ping' | 'pong';

export interface FrameMessage {
  opcode: WsOpcodeName;
  /** Full payload bytes of the message (all fragments; compressed bytes if compressed). */
  size: number;
  /** UTF-8 text for text messages and the close reason; base64 otherwise. */
  preview: string;
  /** True when `size` exceeded the preview limit and only the start is in `preview`. */
  previewTruncated: boolean;
  /** Set when RSV1 (permessage-deflate) was on: `preview` is base64 of the raw bytes. */
  compressed?: true;
  /** Close frames only: the status code, when the frame carried one. */
  closeCode?: number;
}

export interface FrameReaderOptions {
  /** Bytes of each message kept for the preview. */
  previewLimit: number;
  onMessage(message: FrameMessage): void;
  /** Called once, at the first protocol error (or an exception thrown by onMessage). */
  onError?(error: FrameProtocolError): void;
}

export class FrameProtocolError extends Error {
  override readonly name = 'FrameProtocolError';
  constructor(
    message: string,
    /** Byte offset in this direction's stream where the offending frame starts. */
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const OPCODES: Record<number, WsOpcodeName | 'continuation'> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };
const MAX_HEADER = 14;
const TWO_32 = 2 ** 32;

export class FrameReader {
  readonly #previewLimit: number;
  readonly #onMessage: (message: FrameMessage) => void;
  readonly #onError: ((error: FrameProtocolError) => void) | undefined;

  #failed = false;
  /** Total bytes consumed, for error offsets. */
  #offset = 0;
  #frameStart = 0;

  // Header being assembled. Headers are at most 14 bytes, so copying them (even when a
  // chunk boundary splits one) costs nothing next to the payloads we skip.
  readonly #header = Buffer.alloc(MAX_HEADER);
  #headerLen = 0;
  #headerNeed = 2;

  // Current frame.
  #inPayload = false;
  #fin = false;
  #opcode = 0;
  #masked = false;
  #payloadLen = 0;
  #payloadPos = 0;
  /** Where this frame's preview bytes go; sized to exactly what will be kept. */
  #target: Buffer | undefined;

  // Current data message (text/binary, maybe spread over continuation frames).
  #msgOpcode: 'text' | 'binary' | undefined;
  #msgSize = 0;
  #msgCompressed = false;
  #msgParts: Buffer[] = [];
  #msgKept = 0;

  constructor(options: FrameReaderOptions) {
    this.#previewLimit = Math.max(0, Math.floor(options.previewLimit));
    this.#onMessage = options.onMessage;
    this.#onError = options.onError;
  }

  /** True once a protocol error stopped the parsing; later pushes are ignored. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Bytes held right now (header + preview buffers): lets tests check the bound. */
  get bufferedBytes(): number {
    return MAX_HEADER + this.#msgKept + (this.#target?.length ?? 0);
  }

  /** Feeds the next bytes of this direction. Never throws. */
  push(chunk: Buffer): void {
    if (this.#failed) return;
    try {
      this.#consume(chunk);
    } catch (err) {
      // Only onMessage can throw here; parsing errors go through #fail directly.
      this.#fail(`capture callback failed: ${(err as Error)?.message ?? String(err)}`, err);
    }
  }

  #consume(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    while (i < n && !this.#failed) {
      if (!this.#inPayload) {
        const take = Math.min(this.#headerNeed - this.#headerLen, n - i);
        chunk.copy(this.#header, this.#headerLen, i, i + take);
        this.#headerLen += take;
        i += take;
        this.#offset += take;
        if (this.#headerLen < this.#headerNeed) return;
        if (this.#headerLen === 2) {
          const b1 = this.#header[1]!;
          const len7 = b1 & 0x7f;
          const need = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (b1 & 0x80 ? 4 : 0);
          if (need > 2) {
            this.#headerNeed = need;
            continue;
          }
        }
        if (!this.#startFrame()) return;
        if (this.#payloadLen === 0) this.#endFrame();
        else this.#inPayload = true;
      } else {
        const take = Math.min(this.#payloadLen - this.#payloadPos, n - i);
        this.#keep(chunk, i, take);
        this.#payloadPos += take;
        i += take;
        this.#offset += take;
        if (this.#payloadPos === this.#payloadLen) this.#endFrame();
      }
    }
  }

  /** Reads the assembled header; false after a protocol error. */
  #startFrame(): boolean {
    const h = this.#header;
    const b0 = h[0]!;
    const b1 = h[1]!;
    const fin = (b0 & 0x80) !== 0;
    const rsv1 = (b0 & 0x40) !== 0;
    const opcode = b0 & 0x0f;
    const name = OPCODES[opcode];
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    if (len === 126) len = h.readUInt16BE(2);
    else if (len === 127) {
      const high = h.readUInt32BE(2);
      // RFC 6455 wants the top bit clear; past 2^53 a length is garbage for us anyway.
      if (high > 0x1fffff) return this.#fail('64-bit payload length out of range');
      len = high * TWO_32 + h.readUInt32BE(6);
    }

    if (!name) return this.#fail(`reserved opcode ${opcode}`);
    // No known extension uses RSV2/RSV3; set, they mean the stream is not WebSocket frames.
    if (b0 & 0x30) return this.#fail('RSV2/RSV3 bits set');
    if (opcode >= 8) {
      if (!fin) return this.#fail(`fragmented ${name} frame`);
      if (len > 125) return this.#fail(`${name} frame longer than 125 bytes`);
      if (rsv1) return this.#fail(`RSV1 set on a ${name} frame`);
    } else if (opcode === 0) {
      if (!this.#msgOpcode) return this.#fail('continuation frame without a message to continue');
      if (rsv1) return this.#fail('RSV1 set on a continuation frame');
    } else {
      if (this.#msgOpcode) return this.#fail(`new ${name} message before the previous one finished`);
      this.#msgOpcode = name as 'text' | 'binary';
      this.#msgSize = 0;
      this.#msgCompressed = rsv1;
      this.#msgParts = [];
      this.#msgKept = 0;
    }

    this.#fin = fin;
    this.#opcode = opcode;
    this.#masked = masked;
    this.#payloadLen = len;
    this.#payloadPos = 0;
    // Control payloads are kept whole (≤ 125 bytes: the close code precedes the reason);
    // data frames only up to what the message preview still has room for.
    const want = opcode >= 8 ? len : Math.min(len, this.#previewLimit - this.#msgKept);
    this.#target = want > 0 ? Buffer.allocUnsafe(want) : undefined;
    if (opcode < 8) this.#msgSize += len;
    return true;
  }

  /** Copies the part of chunk[i, i+take) that falls inside the preview, unmasked. */
  #keep(chunk: Buffer, i: number, take: number): void {
    const target = this.#target;
    if (!target || this.#payloadPos >= target.length) return;
    const count = Math.min(take, target.length - this.#payloadPos);
    if (!this.#masked) {
      chunk.copy(target, this.#payloadPos, i, i + count);
      return;
    }
    // The mask key sits in the last 4 header bytes and repeats every 4 payload bytes.
    const key = this.#headerNeed - 4;
    const h = this.#header;
    for (let j = 0, pos = this.#payloadPos; j < count; j++, pos++) {
      target[pos] = chunk[i + j]! ^ h[key + (pos & 3)]!;
    }
  }

  #endFrame(): void {
    const target = this.#target;
    const opcode = this.#opcode;
    const fin = this.#fin;
    const len = this.#payloadLen;
    this.#target = undefined;
    this.#inPayload = false;
    this.#headerLen = 0;
    this.#headerNeed = 2;
    this.#frameStart = this.#offset;

    if (opcode >= 8) {
      this.#onMessage(this.#controlMessage(OPCODES[opcode] as WsOpcodeName, target ?? Buffer.alloc(0), len));
      return;
    }
    if (target) {
      this.#msgParts.push(target);
      this.#msgKept += target.length;
    }
    if (!fin) return;
    const kept = this.#msgParts.length === 1 ? this.#msgParts[0]! : Buffer.concat(this.#msgParts, this.#msgKept);
    const truncated = this.#msgSize > this.#msgKept;
    const asText = this.#msgOpcode === 'text' && !this.#msgCompressed;
    const preview = asText ? utf8Preview(kept, truncated) : kept.toString('base64');
    const message: FrameMessage = { opcode: this.#msgOpcode!, size: this.#msgSize, preview, previewTruncated: truncated };
    if (this.#msgCompressed) message.compressed = true;
    this.#msgOpcode = undefined;
    this.#msgParts = [];
    this.#msgKept = 0;
    this.#onMessage(message);
  }

  #controlMessage(opcode: WsOpcodeName, payload: Buffer, size: number): FrameMessage {
    const limit = this.#previewLimit;
    if (opcode !== 'close') {
      return { opcode, size, preview: payload.subarray(0, limit).toString('base64'), previewTruncated: size > limit };
    }
    // A close body is a 2-byte status code then a UTF-8 reason; the limit applies to the reason.
    const reason = payload.length >= 2 ? payload.subarray(2) : Buffer.alloc(0);
    const truncated = reason.length > limit;
    const preview = utf8Preview(reason.subarray(0, limit), truncated);
    const message: FrameMessage = { opcode, size, preview, previewTruncated: truncated };
    if (payload.length >= 2) message.closeCode = payload.readUInt16BE(0);
    return message;
  }

  #fail(reason: string, cause?: unknown): false {
    if (this.#failed) return false;
    this.#failed = true;
    // Drop the buffers: nothing more will be parsed on this direction.
    this.#target = undefined;
    this.#msgParts = [];
    this.#msgKept = 0;
    const error = new FrameProtocolError(reason, this.#frameStart, cause === undefined ? undefined : { cause });
    try {
      this.#onError?.(error);
    } catch {
      // The caller's error handler failing must not break the proxy's data path either.
    }
    return false;
  }
}

/**
 * Decodes a preview as UTF-8. A cut preview may end inside a multi-byte character; that
 * tail is dropped rather than shown as U+FFFD, which would look like corrupt data.
 */
function utf8Preview(bytes: Buffer, truncated: boolean): string {
  if (!truncated) return bytes.toString('utf8');
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return (need > back ? bytes.subarray(0, n - back) : bytes).toString('utf8');
  }
  return bytes.toString('utf8');
}
