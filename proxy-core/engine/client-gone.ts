// Telling when a client left before its answer was complete, over HTTP/1.1 and HTTP/2.
//
// http-proxy-3 aborts the upstream request on the response's 'close' when
// `!res.writableFinished`. Over HTTP/2 Node's compatibility response reports
// `writableFinished === true` once the client has reset the stream (RST_STREAM CANCEL:
// an aborted fetch, a closed EventSource or tab, a cancelled download), so the backend
// request stayed open and held a pooled connection forever. The HTTP/2 stream itself
// knows better: a stream that closed with an error code, or was aborted, ended early.
import http2 from 'node:http2';
import type { ServerResponse } from 'node:http';

/** The HTTP/2 stream behind a compatibility response; absent for HTTP/1.1. */
function h2StreamOf(res: ServerResponse): http2.ServerHttp2Stream | undefined {
  return (res as unknown as { stream?: http2.ServerHttp2Stream }).stream;
}

/** True when the exchange ended without the client receiving the whole answer. */
export function clientLeftEarly(res: ServerResponse): boolean {
  const stream = h2StreamOf(res);
  if (stream) return stream.aborted || (stream.rstCode !== undefined && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) || !res.writableEnded;
  return !res.writableFinished;
}

/**
 * Calls `onGone` once if the client goes away before the response is complete (the
 * response's 'close' fires on both protocols when the stream or socket goes).
 */
export function onClientGone(res: ServerResponse, onGone: () => void): void {
  res.once('close', () => {
    if (clientLeftEarly(res)) onGone();
  });
}
