// Raw HTTP over net: for request lines http.request will not send (absolute-form, CONNECT).
import net from 'node:net';

export interface RawReply {
  /** Everything the server sent, as latin1 text. */
  raw: string;
  /** Status code of the first response line, if one arrived. */
  status: number | undefined;
  /** The first response's body, de-chunked ('' if none arrived). */
  body: string;
  /** True when the server closed the connection (as opposed to our guard timer firing). */
  closedByServer: boolean;
}

/**
 * Writes `text` verbatim and collects the answer until the server closes the socket or one
 * complete response (Content-Length or chunked) has arrived. A guard timer (not an assertion)
 * stops waiting on a server that keeps a connection open without answering.
 */
export function rawRequest(port: number, text: string, guardMs = 5_000, address = '127.0.0.1'): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, address);
    let raw = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ raw, status: match ? Number(match[1]) : undefined, body: bodyOf(raw), closedByServer });
    };
    const guard = setTimeout(() => finish(false), guardMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(text, 'latin1'));
    socket.on('data', (chunk: string) => {
      raw += chunk;
      if (isCompleteResponse(raw)) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

function isCompleteResponse(raw: string): boolean {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const head = raw.slice(0, headEnd).toLowerCase();
  const body = raw.slice(headEnd + 4);
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) return /(^|\r\n)0\r\n\r\n$/.test(body);
  return false;
}

function bodyOf(raw: string): string {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return '';
  const head = raw.slice(0, headEnd).toLowerCase();
  let rest = raw.slice(headEnd + 4);
  if (!/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) {
    const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
    return length ? rest.slice(0, Number(length[1])) : rest;
  }
  let body = '';
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = lineEnd < 0 ? 0 : parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
