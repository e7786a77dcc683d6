// traffic.* commands: the capture store read, cleared, exported as HAR, re-imported, and
// exchanges replayed through the engine (so the replay is captured like any request).
import { fromHar, toHar } from '../capture/har.js';
import type { StoredExchange } from '../capture/stored-exchange.js';
import { markSensitive, sanitizeHar } from '../capture/har-sanitize.js';
import type { Handlers } from './control-service.js';
import type { ServiceContext } from './context.js';
import { REPLAY_HEADER, replayRequest } from './replay.js';
import { searchExchangesInSlices } from './traffic-search.js';
import { CommandFailure } from './types.js';

type TrafficHandlers = Pick<
  Handlers,
  | 'traffic.list'
  | 'traffic.get'
  | 'traffic.search'
  | 'traffic.body'
  | 'traffic.messages'
  | 'traffic.clear'
  | 'traffic.pause'
  | 'traffic.exportHar'
  | 'traffic.importHar'
  | 'traffic.replay'
>;

export { REPLAY_HEADER };

export function trafficCommands(service: ServiceContext): TrafficHandlers {
  const { store } = service;
  const find = (id: string): StoredExchange => {
    const record = store.get(id);
    if (!record) throw new CommandFailure(`no exchange with id "${id}" (it may have been evicted or cleared)`, undefined, 404);
    return record;
  };

  return {
    'traffic.list': (input) => store.summaries(input?.limit),
    'traffic.search': async ({ text, headers, headersAlone, ids }) => {
      // With ids: only those (the rows that arrived since the last answer); gone ones are skipped.
      const among = ids ? ids.map((id) => store.get(id)).filter((x) => x !== undefined) : store.exchanges();
      return { ids: await searchExchangesInSlices(among, { text, headers, headersAlone }) };
    },
    'traffic.get': ({ id }) => find(id).snapshot(),
    'traffic.body': ({ id, part }) => store.body(find(id), part),
    'traffic.messages': ({ id }) => store.messages(find(id)),
    'traffic.clear': (input) => {
      if (input?.through !== undefined) return { cleared: store.clearThrough(input.through) };
      const cleared = store.clear();
      service.batcher.reset();
      service.emit('traffic.cleared', {});
      return { cleared };
    },
    'traffic.pause': ({ paused }) => {
      store.paused = paused;
      // Every window shows the pause, not only the one that clicked: the status carries it.
      service.emit('listeners', service.status());
      return { paused };
    },
    'traffic.exportHar': (input) => {
      const ids = input?.ids;
      const records = ids ? ids.map(find) : [...store.exchanges()];
      const items = records.map((record) => ({
        exchange: record.snapshot(),
        request: store.body(record, 'request'),
        response: store.body(record, 'response'),
        messages: record.messages,
      }));
      const har = toHar(items, { name: 'Portico', version: service.version });
      // Exports are for sharing: credentials out unless asked for (the live view keeps them).
      return input?.sensitive ? markSensitive(har) : sanitizeHar(har);
    },
    'traffic.importHar': (har) => {
      let items;
      try {
        items = fromHar(har);
      } catch (error) {
        throw new CommandFailure(`not a HAR file Portico can read: ${(error as Error).message}`);
      }
      for (const item of items) {
        const bytes = (body: typeof item.request) => (body ? Buffer.from(body.decoded ?? body.raw, 'base64') : undefined);
        store.importExchange({ exchange: item.exchange, request: bytes(item.request), response: bytes(item.response), messages: item.messages });
      }
      return { imported: items.length };
    },
    'traffic.replay': async ({ id, edits }) => {
      const original = find(id).snapshot();
      const engine = service.engine;
      const status = await replayRequest({
        original,
        method: edits?.method ?? original.method,
        url: edits?.url ?? original.url,
        headers: edits?.headers ?? original.requestHeaders,
        body: edits?.body !== undefined ? Buffer.from(edits.body, 'base64') : find(id).bodyBytes('request'),
        ports: { http: engine.http.port, https: engine.https?.port },
        ca: service.certificates.ca.certPem,
      }).catch((error: Error) => {
        throw new CommandFailure(`replay failed: ${error.message}`, undefined, 502);
      });
      const replayed = store
        .list()
        .reverse()
        .find((x) => x.requestHeaders.some(([name, value]) => name.toLowerCase() === REPLAY_HEADER && value === id));
      return { status, exchangeId: replayed?.id };
    },
  };
}
