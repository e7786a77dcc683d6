// The whole exchange (header lists included) behind the summary the list holds, fetched
// with traffic.get when an exchange is opened and again whenever its summary changes (an
// update brings a new summary object). While a newer copy loads, the older one stays on
// screen, so a live exchange does not flicker back to "Loading" at each update.
import { useEffect, useState } from 'react';
import type { Exchange, ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';

/** The last few fetched, so going back to a row just seen shows it at once. */
const CACHE_SIZE = 32;
const cache = new Map<string, { summary: ExchangeSummary; full: Exchange }>();

function remember(summary: ExchangeSummary, full: Exchange): void {
  cache.delete(summary.id);
  cache.set(summary.id, { summary, full });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

export interface ExchangeDetail {
  /** The fetched exchange (maybe of an older state of it), or undefined while the first copy loads. */
  full: Exchange | undefined;
  error: string | undefined;
}

export function useExchangeDetail(summary: ExchangeSummary): ExchangeDetail {
  const cached = cache.get(summary.id);
  const [state, setState] = useState<{ id: string; full?: Exchange; error?: string }>({ id: summary.id, full: cached?.full });
  const fresh = cached?.summary === summary;

  useEffect(() => {
    if (fresh) return;
    let live = true;
    client.call('traffic.get', { id: summary.id }).then(
      (full) => {
        remember(summary, full);
        if (live) setState({ id: summary.id, full });
      },
      (e: Error) => live && setState((old) => ({ id: summary.id, full: old.id === summary.id ? old.full : undefined, error: e.message })),
    );
    return () => {
      live = false;
    };
  }, [summary, fresh]);

  const full = (fresh ? cached.full : undefined) ?? (state.id === summary.id ? state.full : undefined) ?? cached?.full;
  return { full, error: state.id === summary.id ? state.error : undefined };
}
