// One finished exchange as bytes, and back. The layout puts what the list shows first, so
// a summary reads a short prefix; headers, WebSocket messages and bodies follow, each
// section found through an offset at the front:
//
//   u32 length · u32 headers at · u32 messages at · u32 bodies at
//   summary: times, kind/state/scheme, status, body sizes, strings, marks
//   headers: request, response, sent to the backend, sent to the client (names by number;
//            an HTTP/1 head Portico wrote stays the one string Node made of it)
//   messages: WebSocket messages kept
//   bodies: request and response bytes as captured
import type { BodyInfo, Exchange, ExchangeSummary, HeaderPairs, WsMessage } from '../../contract/index.js';
import type { SentHead } from '../../engine/index.js';
import type { ExchangeRecord } from '../exchange-record.js';
import { flatHead, pairsOf, rawHeader } from '../exchange-record.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { LITERAL, type HeaderStrings } from './header-strings.js';

const KINDS = ['http', 'websocket'] as const;
const STATES = ['pending', 'responded', 'done', 'failed'] as const;
const SCHEMES = ['http', 'https'] as const;
const DIRECTIONS = ['client', 'server'] as const;
const OPCODES = ['text', 'binary', 'close', 'ping', 'pong'] as const;
const NO_LIST = 0xffffffff;
const HEAD_TEXT = 0xfffffffe;
const SECTIONS_AT = 4;

export type HeaderList = 'request' | 'response' | 'backendRequest' | 'clientResponse';
const LISTS: readonly HeaderList[] = ['request', 'response', 'backendRequest', 'clientResponse'];

function writeHeaders(w: ByteWriter, strings: HeaderStrings, raw: SentHead | undefined): void {
  if (raw === undefined) return w.u32(NO_LIST);
  if (typeof raw === 'string') {
    w.u32(HEAD_TEXT);
    return w.string(raw);
  }
  const pairs = raw.length >> 1;
  w.u32(pairs);
  for (let i = 0; i < pairs * 2; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const nameNumber = strings.names.numberOf(name);
    w.u16(nameNumber);
    if (nameNumber === LITERAL) w.string(name);
    const valueNumber = strings.valueNumber(name, value, nameNumber);
    w.u16(valueNumber);
    if (valueNumber === LITERAL) w.string(value);
  }
}

function writeBodyInfo(w: ByteWriter, info: BodyInfo): void {
  w.f64(info.size);
  w.f64(info.captured);
  w.u8(info.truncated ? 1 : 0);
}

/** Writes the record through `w` (begun where it is to go); returns its length. */
export function encodeExchange(w: ByteWriter, strings: HeaderStrings, x: ExchangeRecord): number {
  const s = x.start;
  w.u32(0); // length, set at the end
  w.u32(0);
  w.u32(0);
  w.u32(0);
  w.f64(s.startedAt);
  const t = x.timings;
  w.f64(t.throttled);
  w.f64(t.connected);
  w.f64(t.firstByte);
  w.f64(t.end);
  w.u8(KINDS.indexOf(s.kind));
  w.u8(STATES.indexOf(x.state));
  w.u8(SCHEMES.indexOf(s.scheme));
  w.u16(x.status ?? 0);
  writeBodyInfo(w, x.request);
  writeBodyInfo(w, x.response);
  w.u32(x.messageCount);
  for (const value of [s.client, s.httpVersion, s.method, s.host, s.url, x.route, x.target, x.error?.code, x.error?.message]) w.string(value);
  w.string(rawHeader(x.responseRaw, 'content-type'));
  w.string(rawHeader(x.responseRaw, 'content-encoding'));
  const marks = Object.entries(x.marks);
  w.u32(marks.length);
  for (const [key, value] of marks) {
    w.string(key);
    w.string(value);
  }
  w.u32At(SECTIONS_AT, w.offset);
  writeHeaders(w, strings, s.rawHeaders);
  writeHeaders(w, strings, x.responseRaw);
  writeHeaders(w, strings, x.backendRequestRaw);
  writeHeaders(w, strings, x.clientResponseRaw);
  w.u32At(SECTIONS_AT + 4, w.offset);
  const messages = x.messages;
  w.u32(messages.length);
  for (const m of messages) {
    w.u8(DIRECTIONS.indexOf(m.direction));
    w.u8(OPCODES.indexOf(m.opcode));
    w.u8((m.previewTruncated ? 1 : 0) | (m.compressed ? 2 : 0) | (m.compressed === false ? 4 : 0));
    w.f64(m.at);
    w.f64(m.size);
    w.f64(m.closeCode);
    w.string(m.preview);
  }
  w.u32At(SECTIONS_AT + 8, w.offset);
  w.bytes(x.request.bytes());
  w.bytes(x.response.bytes());
  w.u32At(0, w.offset);
  return w.offset;
}

/** The record's length, read from its first bytes. */
export const encodedLength = (bytes: Buffer): number => bytes.readUInt32LE(0);

function readBodyInfo(r: ByteReader): BodyInfo {
  return { size: r.f64()!, captured: r.f64()!, truncated: r.u8() === 1 };
}

/** What the list shows, from the front of the record. */
export function decodeSummary(bytes: Buffer, id: string): ExchangeSummary {
  const r = new ByteReader(bytes, 16);
  const startedAt = r.f64()!;
  const timings = { throttled: r.f64(), connected: r.f64(), firstByte: r.f64(), end: r.f64() };
  const kind = KINDS[r.u8()]!;
  const state = STATES[r.u8()]!;
  const scheme = SCHEMES[r.u8()]!;
  const status = r.u16();
  const request = readBodyInfo(r);
  const response = readBodyInfo(r);
  const messageCount = r.u32();
  const [client, httpVersion, method, host, url, route, target, errorCode, errorMessage, contentType, contentEncoding] = Array.from({ length: 11 }, () =>
    r.string(),
  );
  const marks: Record<string, string> = {};
  for (let n = r.u32(); n > 0; n--) marks[r.string()!] = r.string()!;
  return {
    id,
    kind,
    startedAt,
    timings,
    state,
    client: client!,
    scheme,
    httpVersion: httpVersion!,
    method: method!,
    host: host!,
    url: url!,
    route,
    target,
    status: status === 0 ? undefined : status,
    request,
    response,
    error: errorCode === undefined ? undefined : { code: errorCode, message: errorMessage ?? '' },
    marks,
    messageCount,
    ...(contentType !== undefined && { contentType }),
    ...(contentEncoding !== undefined && { contentEncoding }),
  };
}

/** The four header lists (absent ones undefined). */
export function decodeHeaders(bytes: Buffer, strings: HeaderStrings): Record<HeaderList, HeaderPairs | undefined> {
  const r = new ByteReader(bytes, bytes.readUInt32LE(SECTIONS_AT));
  const lists = {} as Record<HeaderList, HeaderPairs | undefined>;
  for (const list of LISTS) {
    const pairs = r.u32();
    if (pairs === NO_LIST) {
      lists[list] = undefined;
      continue;
    }
    if (pairs === HEAD_TEXT) {
      lists[list] = pairsOf(flatHead(r.string()!));
      continue;
    }
    const out: HeaderPairs = [];
    for (let i = 0; i < pairs; i++) {
      const nameNumber = r.u16();
      const name = nameNumber === LITERAL ? r.string()! : strings.names.stringOf(nameNumber);
      const valueNumber = r.u16();
      out.push([name, valueNumber === LITERAL ? r.string()! : strings.values.stringOf(valueNumber)]);
    }
    lists[list] = out;
  }
  return lists;
}

export function decodeMessages(bytes: Buffer): WsMessage[] {
  const r = new ByteReader(bytes, bytes.readUInt32LE(SECTIONS_AT + 4));
  const messages: WsMessage[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const direction = DIRECTIONS[r.u8()]!;
    const opcode = OPCODES[r.u8()]!;
    const flags = r.u8();
    const at = r.f64()!;
    const size = r.f64()!;
    const closeCode = r.f64();
    const preview = r.string()!;
    messages.push({
      direction,
      at,
      size,
      opcode,
      preview,
      previewTruncated: (flags & 1) !== 0,
      ...((flags & 6) !== 0 && { compressed: (flags & 2) !== 0 }),
      ...(closeCode !== undefined && { closeCode }),
    });
  }
  return messages;
}

/** The captured body bytes of one side (a view into the record: no copy). */
export function decodeBody(bytes: Buffer, part: 'request' | 'response'): Buffer {
  const r = new ByteReader(bytes, bytes.readUInt32LE(SECTIONS_AT + 8));
  if (part === 'response') r.skipBytes();
  return r.bytes();
}

/** The whole exchange as the contract describes it. */
export function decodeExchange(bytes: Buffer, id: string, strings: HeaderStrings): Exchange {
  const { contentType: _t, contentEncoding: _e, ...summary } = decodeSummary(bytes, id);
  const lists = decodeHeaders(bytes, strings);
  return {
    ...summary,
    requestHeaders: lists.request ?? [],
    responseHeaders: lists.response ?? [],
    ...(lists.backendRequest && { backendRequestHeaders: lists.backendRequest }),
    ...(lists.clientResponse && { clientResponseHeaders: lists.clientResponse }),
  };
}
