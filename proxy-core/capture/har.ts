// HAR 1.2 export of captured exchanges (import: har-import.ts). Pure: the capture store
// hands in exchanges with their bodies and WebSocket messages; nothing here does I/O.
import { STATUS_CODES } from 'node:http';
import type { CapturedBody, Exchange, WsMessage } from '../contract/index.js';
import {
  bodyText,
  harHttpVersion,
  harTimings,
  headerValue,
  mimeEssence,
  parseQuery,
  r3,
  requestCookies,
  responseCookies,
  wsOpcodeNumber,
} from './har-fields.js';
import type { Har, HarContent, HarEntry, HarPortico, HarPostData, HarWebSocketMessage } from './har-types.js';

export type * from './har-types.js';
export { fromHar, HarImportError, type HarImportItem, type HarImportOptions } from './har-import.js';

export interface HarExportItem {
  exchange: Exchange;
  /** The captured request body; without it the entry has no postData. */
  request?: CapturedBody;
  /** The captured response body; without it content has no text. */
  response?: CapturedBody;
  /** WebSocket exchanges: the recorded messages. */
  messages?: readonly WsMessage[];
}

export function toHar(items: HarExportItem[], creator: { name: string; version: string }): Har {
  return { log: { version: '1.2', creator: { name: creator.name, version: creator.version }, entries: items.map(toEntry) } };
}

function toEntry({ exchange: x, request, response, messages }: HarExportItem): HarEntry {
  const websocket = x.kind === 'websocket';
  // Chrome writes WebSocket entries with their ws:// URL; import maps it back.
  const scheme = websocket ? (x.scheme === 'https' ? 'wss' : 'ws') : x.scheme;
  const httpVersion = harHttpVersion(x.httpVersion);
  const { timings, time } = harTimings(x.timings);
  const status = x.status ?? 0;

  const entry: HarEntry = {
    startedDateTime: new Date(x.startedAt).toISOString(),
    time,
    request: {
      method: x.method,
      url: `${scheme}://${x.host}${x.url}`,
      httpVersion,
      cookies: requestCookies(x.requestHeaders),
      headers: x.requestHeaders.map(([name, value]) => ({ name, value })),
      queryString: parseQuery(x.url),
      headersSize: -1,
      bodySize: x.request.size,
    },
    response: {
      status,
      // Node keeps no reason phrase for us (and HTTP/2 has none): use the standard one.
      statusText: status ? (STATUS_CODES[status] ?? '') : '',
      httpVersion,
      cookies: responseCookies(x.responseHeaders, x.startedAt + (x.timings.firstByte ?? 0)),
      headers: x.responseHeaders.map(([name, value]) => ({ name, value })),
      content: content(x, response),
      redirectURL: headerValue(x.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: x.response.size,
    },
    cache: {},
    timings,
    _portico: portico(x),
  };
  const postData = request && (x.request.size > 0 || request.raw.length > 0) ? toPostData(x, request) : undefined;
  if (postData) entry.request.postData = postData;
  if (x.error) entry.response._error = x.error.message;
  if (websocket) {
    entry._resourceType = 'websocket';
    entry._webSocketMessages = (messages ?? []).map((m) => toHarMessage(x.startedAt, m));
  }
  return entry;
}

/** The bytes to show: decoded when the capture could decode them, else as they came. */
function bodyBytes(body: CapturedBody): Buffer {
  return Buffer.from(body.decoded ?? body.raw, 'base64');
}

function toPostData(x: Exchange, body: CapturedBody): HarPostData {
  const mimeType = body.contentType ?? headerValue(x.requestHeaders, 'content-type') ?? '';
  const { text, base64 } = bodyText(bodyBytes(body), mimeType, body.truncated);
  const postData: HarPostData = { mimeType, text };
  if (base64) postData._encoding = 'base64';
  else if (mimeEssence(mimeType) === 'application/x-www-form-urlencoded') {
    postData.params = [...new URLSearchParams(text)].map(([name, value]) => ({ name, value }));
  }
  return postData;
}

function content(x: Exchange, body: CapturedBody | undefined): HarContent {
  const mimeType = body?.contentType ?? headerValue(x.responseHeaders, 'content-type') ?? 'x-unknown';
  if (!body) return { size: x.response.size, mimeType };
  const bytes = bodyBytes(body);
  // A cut body's decoded size is unknown; the wire size is the honest number we have.
  const size = body.truncated ? x.response.size : bytes.length;
  const result: HarContent = { size, mimeType };
  const encoding = headerValue(x.responseHeaders, 'content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity' && !body.truncated && size >= x.response.size) {
    result.compression = size - x.response.size;
  }
  const { text, base64 } = bodyText(bytes, mimeType, body.truncated);
  result.text = text;
  if (base64) result.encoding = 'base64';
  return result;
}

function portico(x: Exchange): HarPortico {
  const p: HarPortico = {
    id: x.id,
    client: x.client,
    state: x.state,
    marks: { ...x.marks },
    truncated: { request: x.request.truncated, response: x.response.truncated },
  };
  if (x.route !== undefined) p.route = x.route;
  if (x.target !== undefined) p.target = x.target;
  if (x.error) p.error = { code: x.error.code, message: x.error.message };
  return p;
}

function toHarMessage(startedAt: number, m: WsMessage): HarWebSocketMessage {
  const message: HarWebSocketMessage = {
    type: m.direction === 'client' ? 'send' : 'receive',
    // Chrome's unit: seconds since the epoch. Rounded so import → export gives it back.
    time: (startedAt + r3(m.at)) / 1000,
    opcode: wsOpcodeNumber(m.opcode),
    data: m.preview,
  };
  const shown = m.opcode === 'text' || m.opcode === 'close' ? Buffer.byteLength(m.preview) : Buffer.from(m.preview, 'base64').length;
  if (m.size !== shown) message._size = m.size;
  if (m.previewTruncated) message._truncated = true;
  return message;
}
