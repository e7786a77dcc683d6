// Request and response headers in the order they came, duplicates kept (Set-Cookie), under
// a summary with the marks Portico left on the exchange (cache, retry, throttle, refusals…).
// Two sides: what the client sent and got (the default: what the browser saw, Portico's
// own headers included), or what went to the backend and what it answered.
import { useState } from 'react';
import type { Exchange, HeaderPairs } from '../../../../proxy-core/contract/index.js';

type Side = 'client' | 'backend';

function HeaderTable({ title, pairs }: { title: string; pairs: HeaderPairs }) {
  return (
    <section className="headers" aria-label={title}>
      <h3>{title}</h3>
      {pairs.length === 0 ? (
        <p className="muted">None</p>
      ) : (
        <dl className="kv mono">
          {pairs.map(([name, value], i) => (
            <div key={i} className="kv-pair">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

export function HeadersTab({ x }: { x: Exchange }) {
  const [side, setSide] = useState<Side>('client');
  const client = side === 'client';
  return (
    <div className="tabbody">
      <dl className="kv summary">
        <dt>URL</dt>
        <dd className="mono">{`${x.scheme}://${x.host}${x.url}`}</dd>
        <dt>Protocol</dt>
        <dd>HTTP/{x.httpVersion}</dd>
        <dt>Client</dt>
        <dd className="mono">{x.client}</dd>
        {x.route && (
          <>
            <dt>Route</dt>
            <dd className="mono">
              {x.route} → {x.target ?? '—'}
            </dd>
          </>
        )}
        {Object.keys(x.marks).length > 0 && (
          <>
            <dt>Marks</dt>
            <dd>
              <ul className="marks" aria-label="Marks">
                {Object.entries(x.marks).map(([key, value]) => (
                  <li key={key}>
                    <span className="mark-key">{key}</span> <span className="mono">{value}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <div className="header-side" role="radiogroup" aria-label="Headers as seen by">
        <label>
          <input type="radio" name={`side-${x.id}`} checked={client} onChange={() => setSide('client')} /> As sent to the client
        </label>
        <label>
          <input type="radio" name={`side-${x.id}`} checked={!client} onChange={() => setSide('backend')} /> As the backend answered
        </label>
      </div>
      <HeaderTable
        title={client ? 'Response headers (as sent to the client)' : 'Response headers (as the backend answered)'}
        pairs={client ? (x.clientResponseHeaders ?? x.responseHeaders) : x.responseHeaders}
      />
      <HeaderTable
        title={client ? 'Request headers (as the client sent them)' : 'Request headers (as sent to the backend)'}
        pairs={client ? x.requestHeaders : (x.backendRequestHeaders ?? x.requestHeaders)}
      />
    </div>
  );
}
