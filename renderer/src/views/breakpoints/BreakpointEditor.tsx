// One paused exchange: method, URL, headers and body of a request, or status, headers and
// body of a response, editable; Resume (as it came), Resume with edits, Abort. Shortcuts
// while the editor has focus: Ctrl+Enter resumes with edits, Ctrl+Shift+Enter resumes as
// it came, Ctrl+Backspace aborts (⌘ for Ctrl on macOS).
import { useState, type KeyboardEvent } from 'react';
import type { Paused } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { useStore } from '../../store/store.js';
import { editsBetween, textOf, type PausedText } from './paused-edits.js';

export function BreakpointEditor({ paused }: { paused: Paused }) {
  const [before] = useState(() => textOf(paused));
  const [now, setNow] = useState<PausedText>(before);
  const toast = useStore((s) => s.toast);
  const fail = (error: Error) => toast({ text: `Breakpoint: ${error.message}`, tone: 'error' });
  const gone = () => toast({ text: `${paused.method} ${paused.url} had already gone on (timed out or the client left).` });
  const resume = (withEdits: boolean) => {
    const edits = withEdits ? editsBetween(paused, before, now) : undefined;
    client.call('breakpoints.resume', { id: paused.id, edits }).then((r) => r.resumed || gone(), fail);
  };
  const abort = () => void client.call('breakpoints.abort', { id: paused.id }).then((r) => r.aborted || gone(), fail);
  const onKeyDown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      resume(!e.shiftKey);
    } else if (e.key === 'Backspace') {
      e.preventDefault();
      abort();
    }
  };
  const set = (key: keyof PausedText) => (e: { target: { value: string } }) => setNow((v) => ({ ...v, [key]: e.target.value }));
  const id = (name: string) => `bp-${paused.id}-${name}`;
  const request = paused.phase === 'request';
  return (
    <section className="card bp-editor" aria-label={`Paused ${paused.phase} ${paused.method} ${paused.url}`} onKeyDown={onKeyDown}>
      <div className="row-flex">
        <strong>Paused {paused.phase}</strong>
        <span className="mono">
          {paused.method} {paused.scheme}://{paused.host}
          {paused.url}
        </span>
        <span className="muted small">
          rule {paused.rule} · goes on by itself at {new Date(paused.resumesAt).toLocaleTimeString()}
        </span>
      </div>
      {request ? (
        <div className="bp-line">
          <div className="field">
            <label htmlFor={id('method')}>Method</label>
            <input id={id('method')} className="input mono bp-method" value={now.method} onChange={set('method')} spellCheck={false} />
          </div>
          <div className="field bp-grow">
            <label htmlFor={id('url')}>URL (path and query)</label>
            <input id={id('url')} className="input mono" value={now.url} onChange={set('url')} spellCheck={false} />
          </div>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={id('status')}>Status</label>
          <input id={id('status')} className="input mono bp-method" value={now.status} onChange={set('status')} inputMode="numeric" />
        </div>
      )}
      <div className="field">
        <label htmlFor={id('headers')}>Headers</label>
        <textarea id={id('headers')} className="input mono bp-text" rows={6} value={now.headers} onChange={set('headers')} spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor={id('body')}>Body</label>
        {before.bodyNote && <span className="hint">{before.bodyNote}</span>}
        <textarea id={id('body')} className="input mono bp-text" rows={8} value={now.body} onChange={set('body')} spellCheck={false} />
      </div>
      <div className="row-flex">
        <button type="button" className="btn" onClick={() => resume(false)} title="Ctrl+Shift+Enter" aria-keyshortcuts="Control+Shift+Enter">
          Resume
        </button>
        <button type="button" className="btn primary" onClick={() => resume(true)} title="Ctrl+Enter" aria-keyshortcuts="Control+Enter">
          Resume with edits
        </button>
        <button type="button" className="btn danger" onClick={abort} title="Ctrl+Backspace" aria-keyshortcuts="Control+Backspace">
          Abort
        </button>
      </div>
    </section>
  );
}
