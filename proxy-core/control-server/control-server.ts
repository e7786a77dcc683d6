// The headless front door: the control service over HTTP (scripts) and a WebSocket (the
// UI in a browser), loopback only, behind a token and Host/Origin checks.
import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { COMMAND_NAMES, EVENT_NAMES, type CommandName, type CommandReply, type EventPayload, type WireMessage } from '../contract/index.js';
import { CommandFailure, type ControlApi } from '../service/types.js';
import { allowedHost, allowedOrigin, presentedToken, tokenMatches } from './guard.js';
import { serveStatic } from './static-files.js';
import { restRoute } from './rest.js';
import { TrafficBacklog } from './traffic-backlog.js';

export interface ControlServerOptions {
  api: ControlApi;
  token: string;
  /** 0 picks a free port. Always bound to loopback. */
  port: number;
  rendererDir: string;
  log?: (line: string) => void;
  /**
   * How many exchanges the merged traffic of a UI that fell behind may hold before it is
   * dropped and the UI asked to reload the list instead (BACKLOG_LIMIT; tests set it low).
   */
  backlogLimit?: number;
}

/** About 12 s of a 2,000 requests/s flood: a tab busy for longer reloads the list. */
const BACKLOG_LIMIT = 25_000;

export interface ControlServer {
  readonly port: number;
  /** The UI's address with the token, to open in a browser. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024 * 1024; // a HAR import can be large; more is a mistake

/** Runs a command and shapes the answer the same way for every transport. */
export async function reply(api: ControlApi, method: CommandName, params: unknown): Promise<CommandReply & { status: number }> {
  try {
    return { ok: true, result: await api.call(method, params), status: 200 };
  } catch (error) {
    const failure = error instanceof CommandFailure ? error : undefined;
    return {
      ok: false,
      error: { message: (error as Error).message, ...(failure?.issues && { issues: failure.issues }) },
      status: failure?.status ?? 500,
    };
  }
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new CommandFailure('request body too large', undefined, 413));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new CommandFailure('the request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(text);
}

/**
 * `portico run`'s route, held by its request: the route is added, the answer's head and
 * first line (the process route) go out at once, and the answer stays open. When the
 * connection closes, however the owner ended (exit, crash, SIGKILL: the kernel closes
 * its sockets), the route goes.
 */
export const PROCESS_HOLD_PATH = '/api/processes/hold';

async function holdProcessRoute(api: ControlApi, body: unknown, res: http.ServerResponse): Promise<void> {
  const answer = await reply(api, 'processes.add', body);
  if (!answer.ok) return sendJson(res, answer.status, answer.error);
  const { id } = answer.result as { id: string };
  if (res.destroyed) return void api.call('processes.remove', { id }).catch(() => {});
  // processes.stop reaches the owner as a line on this answer.
  const off = api.on('processes.stopRequested', (request) => {
    if (request.id === id) res.write(JSON.stringify({ stop: true }) + '\n');
  });
  res.once('close', () => {
    off();
    void api.call('processes.remove', { id }).catch(() => {});
  });
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  res.write(JSON.stringify(answer.result) + '\n');
}

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { api, token, log = () => {} } = options;
  let port = options.port;

  const server = http.createServer((req, res) => {
    if (!allowedHost(req, port) || !allowedOrigin(req, port)) return sendJson(res, 403, { message: 'forbidden: wrong Host or Origin' });
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (!pathname.startsWith('/api/')) {
      void serveStatic(options.rendererDir, req, res);
      return;
    }
    if (!tokenMatches(presentedToken(req), token)) {
      return sendJson(
        res,
        401,
        { message: 'missing or wrong token: send Authorization: Bearer <token from the control-token file>' },
        { 'www-authenticate': 'Bearer' },
      );
    }
    void (async () => {
      try {
        const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : undefined;
        if (pathname === PROCESS_HOLD_PATH && req.method === 'POST') return await holdProcessRoute(api, body, res);
        const route = restRoute(req.method ?? 'GET', pathname, body, new URLSearchParams((req.url ?? '').split('?')[1]));
        if (!route) return sendJson(res, 404, { message: `no API at ${req.method} ${pathname}` });
        const answer = await reply(api, route.command, route.params);
        if (!answer.ok) return sendJson(res, answer.status, answer.error);
        const status = route.created ? 201 : 200;
        sendJson(res, status, answer.result, route.download ? { 'content-disposition': `attachment; filename="${route.download}"` } : {});
      } catch (error) {
        const status = error instanceof CommandFailure ? error.status : 500;
        sendJson(res, status, { message: (error as Error).message });
      }
    })();
  });

  // The UI's WebSocket: commands in, replies and every event out.
  const WS_HIGH_WATER = 4 * 1024 * 1024;
  const WS_LOW_WATER = 256 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket: Socket, head) => {
    socket.on('error', () => {});
    const pathname = (req.url ?? '/').split('?')[0];
    const ok = pathname === '/ws' && allowedHost(req, port) && allowedOrigin(req, port) && tokenMatches(presentedToken(req), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const send = (message: WireMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    // A UI that reads slower than traffic comes (a busy tab, a slow link) must not make the
    // engine queue without bound: over the high-water mark its traffic events are merged
    // (traffic-backlog.ts) and sent once its socket drained; a clear empties the merge.
    let behind: NodeJS.Timeout | undefined;
    const backlog = new TrafficBacklog(options.backlogLimit ?? BACKLOG_LIMIT);
    const catchUp = () => {
      if (ws.readyState !== ws.OPEN) return clearInterval(behind);
      if (ws.bufferedAmount > WS_LOW_WATER) return;
      clearInterval(behind);
      behind = undefined;
      if (backlog.overflowed) send({ event: 'traffic.resync', data: {} });
      for (const data of backlog.take()) send({ event: 'traffic', data });
      backlog.cleared();
    };
    const sendTraffic = (data: EventPayload<'traffic'>) => {
      if (!behind && ws.bufferedAmount <= WS_HIGH_WATER) return send({ event: 'traffic', data });
      backlog.add(data);
      behind ??= setInterval(catchUp, 100);
    };
    const unsubscribe = EVENT_NAMES.map((event) =>
      api.on(event, (data) => {
        if (event === 'traffic') return sendTraffic(data as EventPayload<'traffic'>);
        if (event === 'traffic.cleared') backlog.cleared();
        send({ event, data });
      }),
    );
    ws.on('close', () => {
      clearInterval(behind);
      unsubscribe.forEach((off) => off());
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw) => {
      let message: { id?: unknown; method?: unknown; params?: unknown };
      try {
        message = JSON.parse(String(raw)) as typeof message;
      } catch {
        return send({ id: -1, ok: false, error: { message: 'not JSON' } });
      }
      const id = typeof message.id === 'number' ? message.id : -1;
      if (typeof message.method !== 'string' || !COMMAND_NAMES.includes(message.method as CommandName)) {
        return send({ id, ok: false, error: { message: `unknown command "${String(message.method)}"` } });
      }
      void reply(api, message.method as CommandName, message.params).then(({ status: _status, ...answer }) => send({ id, ...answer }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        Object.assign(new Error(error.code === 'EADDRINUSE' ? `control port ${port} on 127.0.0.1 is already in use` : error.message), { code: error.code }),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;
  log(`control server on http://127.0.0.1:${port}`);

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
