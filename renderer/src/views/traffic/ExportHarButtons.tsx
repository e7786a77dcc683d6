// The two HAR exports: the sanitized one (credentials replaced, safe for a bug report, as
// Chrome DevTools exports by default) and, as its own deliberate choice, the full one.
// Both export what the list shows: the filtered rows when a filter is on, else everything.
import { client } from '../../api/client.js';
import { downloadText } from '../../lib/download.js';
import { hasFilters, selectVisibleIds } from '../../store/filters.js';
import { useStore } from '../../store/store.js';

function exportHar(sensitive: boolean): void {
  const state = useStore.getState();
  const ids = hasFilters(state.filters) ? selectVisibleIds(state) : undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  client.call('traffic.exportHar', { ...(ids && { ids }), sensitive }).then(
    (har) => downloadText(`portico-${stamp}${sensitive ? '-sensitive' : ''}.har`, JSON.stringify(har, null, 2)),
    (error: Error) => state.toast({ text: `Could not export HAR: ${error.message}`, tone: 'error' }),
  );
}

export function ExportHarButtons() {
  return (
    <span className="segmented" role="group" aria-label="HAR export">
      <button
        type="button"
        className="btn small"
        title="Authorization, cookies, Portico's LAN token and credentials in URLs (OAuth codes, access tokens, signatures) replaced by a placeholder: fit to attach to a bug report (bodies are not scanned)"
        onClick={() => exportHar(false)}
      >
        Export HAR
      </button>
      <button
        type="button"
        className="btn small"
        aria-label="Export HAR with sensitive data"
        title="Every header, cookie and URL as captured, passwords and tokens included: keep it to yourself"
        onClick={() => exportHar(true)}
      >
        With sensitive data
      </button>
    </span>
  );
}
