// HAR import: entries from our own export, Chrome's and Firefox's become exchanges (without
// ids: the capture store assigns them) with their bodies and WebSocket messages.
//
// Bodies: HAR holds the decoded content, never the bytes as they crossed the wire, so an
// imported body is stored as `raw` with no `encoding` (the content-encoding header stays
// in the headers, as a record of what the server did).
import type { CapturedBody, Exchange, HeaderPairs, WsMessage } from '../contract/index.js';
import { exchangeHttpVersion, exchangeTimings, headerValue, r3, wsOpcodeName } from './har-fields.js';
import { HarDocumentInSchema, HarEntryInSchema, harIssueMessage, type HarEntryIn } from './har-schema.js';

export interface HarImportItem {
  exchange: Omit<Exchange, 'id'>;
  request?: CapturedBody;
  response?: CapturedBody;
  messages?: WsMessage[];
}

export interface HarImportOptions {
  /** Told about entries left out (e.g. a chrome-extension:// or data: URL) and why. */
  onSkip?(index: number, reason: string): void;
}

/** A HAR that cannot be imported; `issues` name each entry and field ("entries[3].request.url: is required"). */
export class HarImportError extends Error {
  override readonly name = 'HarImportError';
  constructor(readonly issues: string[]) {
    super(`Not an importable HAR: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`);
  }
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/i;
const SCHEMES: Record<string, Exchange['scheme']> = { http: 'http', ws: 'http', https: 'https', wss: 'https' };

export function fromHar(doc: unknown, options: HarImportOptions = {}): HarImportItem[] {
  const parsed = HarDocumentInSchema.safeParse(doc, { error: harIssueMessage });
  if (!parsed.success) throw new HarImportError(parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`));

  const items: HarImportItem[] = [];
  const issues: string[] = [];
  parsed.data.log.entries.forEach((raw, index) => {
    const at = `log.entries[${index}]`;
    const entry = HarEntryInSchema.safeParse(raw, { error: harIssueMessage });
    if (!entry.success) {
      for (const issue of entry.error.issues) issues.push(`${at}.${pathText(issue.path)}: ${issue.message}`);
      return;
    }
    const url = URL_PARTS.exec(entry.data.request.url);
    const scheme = url && SCHEMES[url[1]!.toLowerCase()];
    if (!url || !scheme) {
      options.onSkip?.(index, `not an http(s) or ws(s) URL: ${entry.data.request.url.slice(0, 80)}`);
      return;
    }
    if (!url[2]) {
      issues.push(`${at}.request.url: has no host`);
      return;
    }
    items.push(toItem(entry.data, scheme, url[2], url[3] || '/'));
  });
  if (issues.length) throw new HarImportError(issues);
  return items;
}

function toItem(e: HarEntryIn, scheme: Exchange['scheme'], host: string, path: string): HarImportItem {
  const p = e._portico;
  const startedAt = Date.parse(e.startedDateTime);
  const status = e.response.status;
  const requestHeaders: HeaderPairs = e.request.headers.map(({ name, value }) => [name, value]);
  const responseHeaders: HeaderPairs = e.response.headers.map(({ name, value }) => [name, value]);
  const websocket = e._resourceType === 'websocket' || e._webSocketMessages !== undefined || /^wss?:/i.test(e.request.url);

  const requestBytes = requestBody(e);
  const responseBytes = responseBody(e);
  const requestSize = nonNegative(e.request.bodySize) ?? requestBytes?.length ?? 0;
  const content = e.response.content;
  const responseSize = nonNegative(e.response.bodySize) ?? nonNegative((content?.size ?? NaN) - (content?.compression ?? 0)) ?? responseBytes?.length ?? 0;
  const truncated = { request: p?.truncated?.request ?? false, response: p?.truncated?.response ?? false };
  const messages = websocket ? toMessages(e, startedAt) : undefined;

  const exchange: Omit<Exchange, 'id'> = {
    kind: websocket ? 'websocket' : 'http',
    startedAt,
    timings: exchangeTimings(e.timings, e.time, status > 0),
    state: p?.state ?? (status > 0 ? 'done' : 'failed'),
    client: p?.client ?? '',
    scheme,
    httpVersion: exchangeHttpVersion(e.request.httpVersion ?? ''),
    method: e.request.method,
    host,
    url: path,
    requestHeaders,
    responseHeaders,
    request: { size: requestSize, captured: requestBytes?.length ?? 0, truncated: truncated.request },
    response: { size: responseSize, captured: responseBytes?.length ?? 0, truncated: truncated.response },
    marks: { ...p?.marks },
    messageCount: messages?.length ?? 0,
  };
  if (status > 0) exchange.status = status;
  if (p?.route !== undefined) exchange.route = p.route;
  if (p?.target !== undefined) exchange.target = p.target;
  const error = p?.error ?? (e.response._error ? { code: e.response._error, message: e.response._error } : undefined);
  if (error) exchange.error = error;

  const item: HarImportItem = { exchange };
  if (requestBytes) {
    const contentType = e.request.postData?.mimeType || headerValue(requestHeaders, 'content-type');
    item.request = body(requestBytes, contentType, requestSize, truncated.request);
  }
  if (responseBytes) {
    const mime = content?.mimeType;
    item.response = body(responseBytes, mime && mime !== 'x-unknown' ? mime : undefined, responseSize, truncated.response);
  }
  if (messages) item.messages = messages;
  return item;
}

function requestBody(e: HarEntryIn): Buffer | undefined {
  const postData = e.request.postData;
  if (postData?.text === undefined) return undefined;
  return Buffer.from(postData.text, postData._encoding === 'base64' ? 'base64' : 'utf8');
}

function responseBody(e: HarEntryIn): Buffer | undefined {
  const content = e.response.content;
  if (content?.text === undefined) return undefined;
  return Buffer.from(content.text, content.encoding === 'base64' ? 'base64' : 'utf8');
}

function body(bytes: Buffer, contentType: string | undefined, size: number, truncated: boolean): CapturedBody {
  const result: CapturedBody = { raw: bytes.toString('base64'), size, truncated };
  if (contentType) result.contentType = contentType;
  return result;
}

function toMessages(e: HarEntryIn, startedAt: number): WsMessage[] {
  const messages: WsMessage[] = [];
  for (const m of e._webSocketMessages ?? []) {
    // Continuation frames (0) and unknown opcodes carry nothing we can show on their own.
    const opcode = wsOpcodeName(m.opcode);
    if (!opcode) continue;
    const textual = opcode === 'text' || opcode === 'close';
    const shown = textual ? Buffer.byteLength(m.data) : Buffer.from(m.data, 'base64').length;
    messages.push({
      direction: m.type === 'send' ? 'client' : 'server',
      at: Math.max(0, r3(m.time * 1000 - startedAt)),
      size: m._size ?? shown,
      opcode,
      preview: m.data,
      previewTruncated: m._truncated ?? false,
    });
  }
  return messages;
}

function nonNegative(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('') || '(document)';
}
