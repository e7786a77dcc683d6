// Filters and list actions. Filters are store state (the store keeps the filtered list);
// the free-text box is debounced, and the store filters 100,000 rows in slices, so typing
// stays smooth.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { client } from '../../api/client.js';
import { hasFilters } from '../../store/filters.js';
import { useStore } from '../../store/store.js';
import { EMPTY_FILTERS } from '../../store/traffic-slice.js';
import { ExportHarButtons } from './ExportHarButtons.js';
import { ImportHarButton } from './ImportHarButton.js';
import { clearTraffic } from './clear.js';

const fail = (what: string) => (error: Error) => useStore.getState().toast({ text: `Could not ${what}: ${error.message}`, tone: 'error' });

function TextFilter() {
  const stored = useStore((s) => s.filters.text);
  const setFilters = useStore((s) => s.setFilters);
  const [text, setText] = useState(stored);
  useEffect(() => setText(stored), [stored]);
  useEffect(() => {
    const timer = setTimeout(() => setFilters({ text }), 120);
    return () => clearTimeout(timer);
  }, [text, setFilters]);
  return (
    <input
      className="input filter-text"
      type="search"
      aria-label="Filter by text in the URL, headers and marks"
      placeholder="Filter URL, headers, marks (header: for all headers)"
      title="Searches the URL, header names and values, and marks. Start with header: to search every header line, HTTP/2 pseudo-headers such as :authority included."
      value={text}
      onChange={(e) => setText(e.target.value)}
    />
  );
}

export function TrafficToolbar() {
  const filters = useStore((s) => s.filters);
  const setFilters = useStore((s) => s.setFilters);
  const { hosts, methods } = useStore(useShallow((s) => ({ hosts: s.facets.hosts, methods: s.facets.methods })));
  const paused = useStore((s) => s.paused);
  const setPaused = useStore((s) => s.setPaused);
  const filtered = hasFilters(filters);
  const shown = useStore((s) => s.visible.ids.length);
  const filtering = useStore((s) => s.visible.filtering);
  const total = useStore((s) => s.traffic.ids.length);

  const togglePause = () => {
    client.call('traffic.pause', { paused: !paused }).then((r) => setPaused(r.paused), fail('pause the capture'));
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Traffic tools">
      <button type="button" className={paused ? 'btn small pressed' : 'btn small'} aria-pressed={paused} onClick={togglePause}>
        {paused ? 'Resume capture' : 'Pause capture'}
      </button>
      <button type="button" className="btn small" onClick={clearTraffic}>
        Clear
      </button>
      <span className="divider" aria-hidden="true" />
      <TextFilter />
      <select className="input" aria-label="Host" value={filters.host} onChange={(e) => setFilters({ host: e.target.value })}>
        <option value="">All hosts</option>
        {hosts.map((h) => (
          <option key={h}>{h}</option>
        ))}
      </select>
      <select className="input" aria-label="Method" value={filters.method} onChange={(e) => setFilters({ method: e.target.value })}>
        <option value="">All methods</option>
        {methods.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      <select className="input" aria-label="Status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value })}>
        <option value="">All statuses</option>
        <option value="2">2xx</option>
        <option value="3">3xx</option>
        <option value="4">4xx</option>
        <option value="5">5xx</option>
        <option value="1">1xx</option>
        <option value="pending">Pending</option>
        <option value="failed">Failed</option>
      </select>
      <label className="row-flex small-label">
        <input type="checkbox" checked={filters.errorsOnly} onChange={(e) => setFilters({ errorsOnly: e.target.checked })} />
        Errors only
      </label>
      {filtered && (
        <button type="button" className="btn small" onClick={() => setFilters(EMPTY_FILTERS)}>
          Reset filters
        </button>
      )}
      <span className="spacer" />
      <span className="muted tabular" aria-live="off" data-total={total} data-shown={filtered ? shown : total}>
        {filtered ? `${filtering ? 'filtering… ' : ''}${shown} of ${total}` : `${total} requests`}
      </span>
      <ImportHarButton />
      <ExportHarButtons />
    </div>
  );
}
