// "Edit and resend": the exchange's request (method, path and query on the same host,
// headers, body) in a modal editor; Send goes through the route like any request
// (traffic.replay), and the answer is a new exchange, linked to the one it came from.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { REPLAY_HEADER, type Exchange, type ReplayEditsSchema } from '../../../../proxy-core/contract/index.js';
import type { z } from 'zod';
import { client } from '../../api/client.js';
import { base64ToBytes, looksLikeText, utf8 } from '../../lib/bytes.js';
import { useStore } from '../../store/store.js';
import { pairs, utf8Base64 } from '../breakpoints/paused-edits.js';

/** Headers the engine sets itself on a resend: framing, the host, and the link to the original. */
const SET_BY_ENGINE = new RegExp(`^(content-length|transfer-encoding|connection|host|${REPLAY_HEADER}|:.*)$`, 'i');

interface Sent {
  status: number;
  exchangeId: string | undefined;
}

export function Composer({ x, onClose }: { x: Exchange; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const select = useStore((s) => s.select);
  const [method, setMethod] = useState(x.method);
  const [url, setUrl] = useState(x.url);
  const [headers, setHeaders] = useState(() =>
    x.requestHeaders
      .filter(([n]) => !SET_BY_ENGINE.test(n))
      .map(([n, v]) => `${n}: ${v}`)
      .join('\n'),
  );
  const [original, setOriginal] = useState<string | undefined>(undefined);
  const [body, setBody] = useState('');
  const [bodyNote, setBodyNote] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<Sent | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => dialog.current?.showModal(), []);
  useEffect(() => {
    if (x.request.size === 0) return setOriginal('');
    client.call('traffic.body', { id: x.id, part: 'request' }).then(
      (b) => {
        const text = utf8(base64ToBytes(b.decoded ?? b.raw));
        if (text === undefined || !looksLikeText(text) || b.truncated) {
          setBodyNote('The captured body is binary or cut short: it is sent as captured unless you type a new one.');
          return setOriginal('');
        }
        setOriginal(text);
        setBody(text);
      },
      () => setOriginal(''),
    );
  }, [x]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setBusy(true);
    const edits: z.input<typeof ReplayEditsSchema> = {
      method: method.trim().toUpperCase(),
      url: url.trim(),
      headers: pairs(headers),
      // Only a body that was changed travels: the original is resent from the capture as it was.
      ...(body !== original ? { body: utf8Base64(body) } : {}),
    };
    try {
      const r = await client.call('traffic.replay', { id: x.id, edits });
      setSent({ status: r.status, exchangeId: r.exchangeId });
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="modal composer" aria-labelledby="composer-title" onClose={onClose}>
      <form onSubmit={(e) => void send(e)} noValidate>
        <div className="modal-body">
          <h2 id="composer-title">Edit and resend</h2>
          <p className="muted small">
            To {x.scheme}://{x.host} through its route; the answer is a new exchange linked to #{x.id}.
          </p>
          <div className="bp-line">
            <div className="field">
              <label htmlFor="composer-method">Method</label>
              <input id="composer-method" className="input mono bp-method" value={method} onChange={(e) => setMethod(e.target.value)} spellCheck={false} />
            </div>
            <div className="field bp-grow">
              <label htmlFor="composer-url">URL (path and query)</label>
              <input id="composer-url" className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="composer-headers">Headers</label>
            <textarea
              id="composer-headers"
              className="input mono bp-text"
              rows={7}
              value={headers}
              onChange={(e) => setHeaders(e.target.value)}
              spellCheck={false}
            />
            <span className="hint">One “name: value” per line. Host and Content-Length are set for you.</span>
          </div>
          <div className="field">
            <label htmlFor="composer-body">Body</label>
            {bodyNote && <span className="hint">{bodyNote}</span>}
            <textarea id="composer-body" className="input mono bp-text" rows={7} value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} />
          </div>
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
          {sent && (
            <p role="status" className="composer-result">
              Answered {sent.status}.{' '}
              {sent.exchangeId && (
                <button
                  type="button"
                  className="btn small"
                  onClick={() => {
                    select(sent.exchangeId, true);
                    onClose();
                  }}
                >
                  Show exchange #{sent.exchangeId}
                </button>
              )}
            </p>
          )}
        </div>
        <div className="modal-foot">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn primary" disabled={busy || original === undefined}>
            Send
          </button>
        </div>
      </form>
    </dialog>
  );
}
