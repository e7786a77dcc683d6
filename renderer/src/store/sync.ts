// Keeps the store in step with the engine: a full load whenever the wire (re)opens
// (events missed while it was down are not replayed), then events. Traffic goes through
// the frame queue; everything else is rare and applied at once.
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';
import { client, type Client } from '../api/client.js';
import { useStore } from './store.js';
import { healthKey } from './health-key.js';
import { dropQueuedTraffic, enqueueTraffic } from './traffic-queue.js';
import { connectEngineSearch } from './traffic-slice.js';

/** Loads everything the views show; a failure of one part does not stop the others. */
export async function loadAll(api: Client = client): Promise<void> {
  const s = useStore.getState();
  const report = (what: string) => (error: Error) => s.toast({ text: `Could not load ${what}: ${error.message}`, tone: 'error' });
  await Promise.all([
    api.call('status').then(s.setStatus, report('the status')),
    api.call('routes.list').then(s.setRoutes, report('the routes')),
    api.call('settings.get').then(s.setSettings, report('the settings')),
    loadLan(api),
    loadTraffic(api).catch(report('the traffic')),
    api.call('ca.info').then(
      (ca) => s.setCa(ca),
      (error: Error) => s.setCa(undefined, error.message),
    ),
  ]);
}

/** How many of the newest rows come first, before the whole list. */
const FIRST_ROWS = 2_000;

/**
 * The whole list, replacing what the store has (and whatever batches are still queued).
 * The newest rows come first: at 100,000 rows through `portico serve` the whole list is
 * about 50 MB of JSON and takes seconds, while the bottom of the list, which a user
 * follows, is on screen at once. Batches that arrive in between are applied to it, and the
 * whole list, read later, replaces it.
 */
async function loadTraffic(api: Client): Promise<void> {
  const replace = (list: ExchangeSummary[]) => {
    dropQueuedTraffic();
    useStore.getState().loadTraffic(list);
    inferHealth(list);
  };
  const newest = await api.call('traffic.list', { limit: FIRST_ROWS });
  replace(newest);
  if (newest.length === FIRST_ROWS) replace(await api.call('traffic.list'));
}

/** LAN sharing's addresses; an engine without them (older) just leaves the UI without. */
function loadLan(api: Client): Promise<void> {
  return api.call('lan.status').then(useStore.getState().setLan, () => {});
}

/**
 * Backend health as the traffic shows it: an answer means up, a refused or timed-out
 * connection means down. route.health events say the same when the engine sends them.
 */
function inferHealth(list: readonly ExchangeSummary[]): void {
  const { setHealth } = useStore.getState();
  for (const x of list) {
    // A cache HIT names the target it would have used, but never asked it anything.
    if (!x.route || !x.target || x.marks['cache'] === 'HIT' || x.marks['cache']?.includes('only-if-cached')) continue;
    if (x.error && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|timeout)/i.test(x.error.code)) {
      setHealth(healthKey(x.route, x.target), { up: false, lastError: x.error.message, at: x.startedAt });
    } else if (x.status !== undefined && !x.error) {
      setHealth(healthKey(x.route, x.target), { up: true, at: x.startedAt });
    }
  }
}

export function startSync(api: Client = client): () => void {
  const s = useStore.getState();
  if (api.problem) {
    s.setFatal(api.problem);
    return () => {};
  }
  connectEngineSearch((input) => api.call('traffic.search', input));
  const offs = [
    api.on('traffic', (batch) => {
      enqueueTraffic({ kind: 'batch', ...batch });
      inferHealth(batch.finished);
    }),
    api.on('traffic.cleared', () => enqueueTraffic({ kind: 'cleared' })),
    // The engine dropped events this window could not keep up with: load the list afresh.
    api.on('traffic.resync', () => void loadTraffic(api)),
    api.on('config.changed', (config) => {
      const { routes, rules: _rules, $schema: _schema, ...settings } = config;
      s.setRoutes(routes);
      s.setSettings(settings);
      void loadLan(api); // a shared route or the LAN switch may have changed
    }),
    api.on('listeners', (status) => s.setStatus(status)),
    api.on('route.health', (h) => s.setHealth(healthKey(h.route, h.target), { up: h.up, lastError: h.lastError, at: Date.now() })),
    api.onState((state) => {
      s.setConnection(state);
      if (state === 'open') void loadAll(api);
    }),
  ];
  s.setConnection(api.state);
  if (api.state === 'open') void loadAll(api);
  return () => offs.forEach((off) => off());
}
