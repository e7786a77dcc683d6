// Request and response headers in the order they came, duplicates kept (Set-Cookie), under
// a summary with the marks Portico left on the exchange (cache, retry, throttle, refusals…).
import type { Exchange, HeaderPairs } from '../../../../proxy-core/contract/index.js';

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
      <HeaderTable title="Response headers" pairs={x.responseHeaders} />
      <HeaderTable title="Request headers" pairs={x.requestHeaders} />
    </div>
  );
}
