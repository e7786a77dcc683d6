// The request or response body, fetched with traffic.body once it is complete (and again
// if it changes). Says plainly when only the start of a long body was kept.
import { useEffect, useState } from 'react';
import type { BodyPart, CapturedBody, ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { formatBytes } from '../../lib/format.js';
import { useStore } from '../../store/store.js';
import { BodyView } from './BodyView.js';

type Loaded = { key: string; body?: CapturedBody; error?: string };

export function BodyTab({ x }: { x: ExchangeSummary }) {
  const [part, setPart] = useState<BodyPart>('response');
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const limit = useStore((s) => s.settings?.capture.bodyLimit);
  const info = x[part];
  const complete = x.state === 'done' || x.state === 'failed' || (part === 'request' && x.state === 'responded');
  const key = `${x.id} ${part} ${info.captured} ${complete}`;

  useEffect(() => {
    if (!complete) return;
    let live = true;
    client.call('traffic.body', { id: x.id, part }).then(
      (body) => live && setLoaded({ key, body }),
      (e: Error) => live && setLoaded({ key, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key, complete, x.id, part]);

  const current = loaded?.key === key ? loaded : undefined;
  return (
    <div className="tabbody">
      <div className="row-flex body-head">
        <div className="segmented" role="radiogroup" aria-label="Which body">
          {(['response', 'request'] as const).map((p) => (
            <button
              key={p}
              type="button"
              role="radio"
              aria-checked={part === p}
              className={part === p ? 'btn small pressed' : 'btn small'}
              onClick={() => setPart(p)}
            >
              {p === 'response' ? 'Response' : 'Request'}
            </button>
          ))}
        </div>
        <span className="muted">
          {formatBytes(info.size)}
          {current?.body?.encoding && ` · ${current.body.encoding}, shown decoded`}
          {current?.body?.contentType && ` · ${current.body.contentType}`}
        </span>
      </div>
      {info.truncated && (
        <p className="note" role="note">
          Truncated at {formatBytes(limit ?? info.captured)}: the body was {formatBytes(info.size)}; only its start was kept (Settings → capture limits).
        </p>
      )}
      {current?.body?.decodeError && <p className="field-error">Could not decode: {current.body.decodeError}</p>}
      {!complete ? (
        <p className="muted">Waiting for the body…</p>
      ) : current === undefined ? (
        <p className="muted">Loading…</p>
      ) : current.error ? (
        <p className="field-error">{current.error}</p>
      ) : (
        <BodyView body={current.body!} />
      )}
    </div>
  );
}
