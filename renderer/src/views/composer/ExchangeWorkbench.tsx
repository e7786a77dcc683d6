// What an exchange offers the workbench: Edit and resend (the composer), and rules
// prefilled from it — Mock this response, Break on this URL, Fail this endpoint. Also
// names the exchange a resend came from, with a link to it.
import { useState } from 'react';
import { REPLAY_HEADER, type Exchange, type NewRuleInput } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { base64ToBytes, looksLikeText, utf8 } from '../../lib/bytes.js';
import { openRuleEditor } from '../../store/rules-store.js';
import { useStore } from '../../store/store.js';
import { Composer } from './Composer.js';

function matchOf(x: Exchange): NonNullable<NewRuleInput['match']> {
  const q = x.url.indexOf('?');
  return { host: x.host.replace(/:\d+$/, '').toLowerCase(), pathPrefix: q === -1 ? x.url : x.url.slice(0, q), method: x.method };
}

const nameOf = (x: Exchange, what: string) => `${what} ${x.method} ${matchOf(x).pathPrefix}`;

/** A respond rule with the captured response: status, content type, body (text only). */
async function mockOf(x: Exchange): Promise<NewRuleInput> {
  const type = x.responseHeaders.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  let body: string | undefined;
  if (x.response.size > 0) {
    const captured = await client.call('traffic.body', { id: x.id, part: 'response' });
    const text = utf8(base64ToBytes(captured.decoded ?? captured.raw));
    if (text !== undefined && looksLikeText(text)) body = text;
  }
  return {
    name: nameOf(x, 'mock'),
    match: matchOf(x),
    action: { respond: { status: x.status ?? 200, headers: type ? { 'content-type': type } : undefined, body } },
  };
}

export function ExchangeWorkbench({ x }: { x: Exchange }) {
  const [composing, setComposing] = useState(false);
  const select = useStore((s) => s.select);
  const toast = useStore((s) => s.toast);
  const from = x.requestHeaders.find(([n]) => n.toLowerCase() === REPLAY_HEADER)?.[1];
  const ws = x.kind === 'websocket';
  const mock = () =>
    mockOf(x).then(
      (rule) => openRuleEditor({ id: undefined, rule }),
      (error: Error) => toast({ text: `Could not read the response: ${error.message}`, tone: 'error' }),
    );
  return (
    <>
      <button type="button" className="btn small" onClick={() => setComposing(true)} disabled={ws}>
        Edit and resend
      </button>
      <button type="button" className="btn small" onClick={() => void mock()} disabled={ws || x.status === undefined}>
        Mock this response
      </button>
      <button
        type="button"
        className="btn small"
        onClick={() => openRuleEditor({ id: undefined, rule: { name: nameOf(x, 'break on'), match: matchOf(x), action: { breakpoint: 'request' } } })}
      >
        Break on this URL
      </button>
      <button
        type="button"
        className="btn small"
        onClick={() => openRuleEditor({ id: undefined, rule: { name: nameOf(x, 'fail'), match: matchOf(x), action: { fail: { status: 503 } } } })}
      >
        Fail this endpoint
      </button>
      {from && (
        <button type="button" className="btn small resent-from" onClick={() => select(from, true)}>
          Resent from #{from}
        </button>
      )}
      {composing && <Composer x={x} onClose={() => setComposing(false)} />}
    </>
  );
}
