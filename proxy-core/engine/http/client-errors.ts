// Requests the HTTP parser refuses before our handlers see them: headers over
// settings.firewall.maxHeaderBytes (431) and clients slower than its timeouts (408).
// Node answers these itself unless a 'clientError' listener is attached; we attach one to
// record the refusal in the capture with its reason, and otherwise answer exactly as
// Node's default does (lib/_http_server.js socketOnError): a status line when nothing of a
// response went out yet, then the socket is destroyed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Recorder } from '../capture/capture-tap.js';
import { exchangeOf } from '../exchange-state.js';

const FIREWALL: Record<string, { status: number; reason: string; mark: string } | undefined> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', mark: 'firewall: headers over settings.firewall.maxHeaderBytes' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', mark: 'firewall: client too slow (settings.firewall timeouts)' },
};

/** Node keeps the response in progress on its socket; that is how a slow body's exchange is found. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse & { req?: IncomingMessage } };

export function clientErrorHandler(recorder: Recorder | undefined, log: (line: string) => void) {
  return (err: NodeJS.ErrnoException, socket: HttpSocket): void => {
    const refusal = FIREWALL[err.code ?? ''];
    const inFlight = socket._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const status = refusal ? `${refusal.status} ${refusal.reason}` : '400 Bad Request';
      socket.write(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    }
    if (refusal) {
      log(`${refusal.status} from ${socket.remoteAddress ?? '?'}: ${refusal.mark}`);
      const ex = inFlight?.req && exchangeOf(inFlight.req);
      if (ex) {
        // The request had begun (a body too slow): its exchange is already being recorded.
        ex.refused = true;
        if (!inFlight.headersSent) inFlight.statusCode = refusal.status;
        ex.tap?.mark('portico', refusal.mark);
      } else if (recorder?.active) {
        const tap = recorder.begin({
          kind: 'http',
          startedAt: Date.now(),
          client: socket.remoteAddress ?? '',
          scheme: 'encrypted' in socket ? 'https' : 'http',
          httpVersion: '1.1',
          method: '-',
          host: '',
          url: '',
          rawHeaders: [],
        });
        tap?.responseHead(refusal.status, []);
        tap?.mark('portico', refusal.mark);
        tap?.finished();
      }
    }
    socket.destroy(err);
  };
}
