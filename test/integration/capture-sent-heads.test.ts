// The inspector's "as sent" heads are what actually crossed the wire: the request head the
// backend received (forwarding headers and header rules applied) and the response head the
// client received (rules applied), in order, live and after archiving. Portico keeps the
// HTTP/1 heads it wrote as Node's one string and reads them only when someone looks.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ArchivedExchange } from '../../proxy-core/capture/archive/archived-exchange.js';
import { CaptureStore } from '../../proxy-core/capture/capture-store.js';
import { CaptureSettingsSchema } from '../../proxy-core/contract/index.js';
import { startEngine } from '../../proxy-core/engine/index.js';
import { startBackend } from '../helpers/backend.js';
import { closeAfter } from '../helpers/cleanup.js';
import { makeConfig } from '../helpers/engine.js';

const close = closeAfter('each');

const pairs = (raw: string[]) => Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i]!, raw[2 * i + 1]!]);

describe('the heads Portico sent, as the inspector shows them', () => {
  it('match what the backend and the client received, before and after archiving', async () => {
    const app = close(
      await startBackend('app', (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/plain', 'x-app': 'one', 'x-secret': 'hide me' });
        res.end('ok');
      }),
    );
    const store = new CaptureStore(CaptureSettingsSchema.parse({}), undefined, { archiveEveryMs: Infinity });
    const headers = {
      request: { set: { 'x-from-portico': 'yes: with a colon' }, remove: ['x-drop'] },
      response: { remove: ['x-secret'], add: { 'x-added': 'a' } },
    };
    const engine = close(
      await startEngine({
        config: makeConfig([{ host: 'app.localhost', target: app.url, headers }]),
        http: { host: '127.0.0.1', port: 0 },
        recorder: store,
      }),
      (e) => e.close(100),
    );
    const clientGot = await new Promise<string[]>((resolve, reject) => {
      const req = http.request(
        { port: engine.http.port, host: '127.0.0.1', path: '/sent?x=1', headers: { host: 'app.localhost', 'x-drop': 'gone', 'x-keep': 'kept' } },
        (res) => res.resume().on('end', () => resolve(res.rawHeaders)),
      );
      req.on('error', reject).end();
    });
    const backendGot = app.requests[0]!.rawHeaders;
    expect(backendGot).toContain('x-from-portico');
    expect(backendGot).not.toContain('x-drop');
    expect(clientGot).not.toContain('x-secret');

    const expected = { backendRequestHeaders: pairs(backendGot), clientResponseHeaders: pairs(clientGot) };
    const live = store.get('x1')!;
    expect(live.snapshot()).toMatchObject(expected);
    expect(store.archiveFinished()).toBe(1);
    const archived = store.get('x1')!;
    expect(archived).toBeInstanceOf(ArchivedExchange);
    expect(archived.snapshot()).toMatchObject(expected);
  });
});
