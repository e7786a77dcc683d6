// The HAR 1.2 document we write (http://www.softwareishard.com/blog/har-12-spec/), plus the
// custom `_` fields the spec allows: Chrome's for WebSockets, and `_portico` for what only
// Portico knows (route, target, marks, truncation) so our own exports re-import faithfully.
import type { Exchange } from '../contract/index.js';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  /** ISO 8601. */
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
  /** Not in HAR 1.2, which wants custom fields to start with '_' (Chrome writes `sameSite`). */
  _sameSite?: string;
}

export interface HarPostData {
  mimeType: string;
  text: string;
  /** Form fields, for application/x-www-form-urlencoded bodies (as Chrome and Firefox do). */
  params?: HarNameValue[];
  /** HAR 1.2 has no encoding on postData; 'base64' here means `text` is base64 (common practice). */
  _encoding?: 'base64';
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

export interface HarContent {
  /** Decoded size when known, else the bytes on the wire. */
  size: number;
  /** Bytes saved by the content-encoding; left out when unknown. */
  compression?: number;
  mimeType: string;
  /** Decoded body: text, or base64 when `encoding` says so. */
  text?: string;
  encoding?: 'base64';
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  /** Chrome's field for a failed request. */
  _error?: string;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  send: number;
  wait: number;
  receive: number;
  ssl: number;
}

/** Chrome's `_webSocketMessages` item; `_size`/`_truncated` are ours, for cut previews. */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  /** Seconds since the epoch. */
  time: number;
  /** RFC 6455 opcode: 1 text, 2 binary, 8 close, 9 ping, 10 pong. */
  opcode: number;
  /** Text, or base64 for binary/ping/pong (as Chrome writes binary frames). */
  data: string;
  _size?: number;
  _truncated?: true;
}

export interface HarPortico {
  id: string;
  client: string;
  state: Exchange['state'];
  route?: string;
  target?: string;
  marks: Record<string, string>;
  truncated: { request: boolean; response: boolean };
  error?: { code: string; message: string };
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  _resourceType?: 'websocket';
  _webSocketMessages?: HarWebSocketMessage[];
  _portico: HarPortico;
}

// A type alias, not an interface: aliases get an implicit index signature, so a Har is
// assignable to the contract's passthrough HarSchema output without a cast.
export type Har = {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    /** HAR 1.2's free text; says whether the export was sanitized (har-sanitize.ts). */
    comment?: string;
  };
};
