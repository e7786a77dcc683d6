// A WebSocket's messages (traffic.messages), refetched as the count grows.
import { useEffect, useState } from 'react';
import type { ExchangeSummary, WsMessage } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { formatBytes, formatDuration } from '../../lib/format.js';

export function MessagesTab({ x }: { x: ExchangeSummary }) {
  const [messages, setMessages] = useState<WsMessage[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    client.call('traffic.messages', { id: x.id }).then(
      (list) => live && setMessages(list),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [x.id, x.messageCount]);
  if (error) return <p className="field-error tabbody">{error}</p>;
  if (!messages) return <p className="muted tabbody">Loading…</p>;
  if (messages.length === 0) return <p className="muted tabbody">No messages yet.</p>;
  return (
    <ol className="messages mono tabbody">
      {messages.map((m, i) => (
        <li key={i} className={`msg ${m.direction}`}>
          <span className="msg-dir" title={m.direction === 'client' ? 'sent by the client' : 'sent by the server'}>
            {m.direction === 'client' ? '↑' : '↓'}
          </span>
          <span className="msg-at">{formatDuration(m.at)}</span>
          <span className="msg-kind">{m.opcode === 'close' && m.closeCode !== undefined ? `close ${m.closeCode}` : m.opcode}</span>
          <span className="msg-size">{formatBytes(m.size)}</span>
          <span className="msg-preview">
            {m.preview}
            {m.previewTruncated && <span className="muted"> …(cut)</span>}
            {m.compressed && <span className="muted"> (compressed bytes)</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
