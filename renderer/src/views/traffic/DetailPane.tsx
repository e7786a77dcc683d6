// The open exchange: summary, actions and tabs (radix Tabs: arrow keys between tabs). The
// list holds summaries; the headers come with traffic.get (use-exchange-detail.ts).
import * as Tabs from '@radix-ui/react-tabs';
import { useState } from 'react';
import type { ExchangeSummary } from '../../../../proxy-core/contract/index.js';
import { useStore } from '../../store/store.js';
import { BodyTab } from './BodyTab.js';
import { statusText } from './columns.js';
import { DetailActions } from './DetailActions.js';
import { HeadersTab } from './HeadersTab.js';
import { MessagesTab } from './MessagesTab.js';
import { TimingTab } from './TimingTab.js';
import { useExchangeDetail } from './use-exchange-detail.js';

export function DetailPane() {
  const x = useStore((s) => (s.selectedId === undefined ? undefined : s.traffic.byId.get(s.selectedId)));
  if (!x) return null;
  return <Detail x={x} />;
}

function Detail({ x }: { x: ExchangeSummary }) {
  const close = useStore((s) => s.setDetailOpen);
  const [tab, setTab] = useState('headers');
  const { full, error } = useExchangeDetail(x);
  const ws = x.kind === 'websocket';
  return (
    <section className="detail" aria-label="Request details">
      <div className="detail-head">
        <div className="detail-title">
          <span className="mono strong">{ws ? 'WS' : x.method}</span> <span className="mono">{statusText(x)}</span>{' '}
          <span className="mono detail-url" title={`${x.scheme}://${x.host}${x.url}`}>
            {x.scheme}://{x.host}
            {x.url}
          </span>
        </div>
        <button type="button" className="btn small" aria-label="Close details" onClick={() => close(false)}>
          ×
        </button>
      </div>
      {full ? (
        <DetailActions x={full} />
      ) : (
        // The same row, inert, until the headers are here: nothing below moves when they come.
        <div className="detail-actions" aria-busy="true">
          <button type="button" className="btn small" disabled>
            Copy as cURL
          </button>
        </div>
      )}
      {x.error && (
        <p className="detail-error" role="note">
          {x.error.code}: {x.error.message}
        </p>
      )}
      <Tabs.Root className="detail-tabs" value={tab === 'messages' && !ws ? 'headers' : tab} onValueChange={setTab}>
        <Tabs.List className="subtabs" aria-label="Detail">
          <Tabs.Trigger className="subtab" value="headers">
            Headers
          </Tabs.Trigger>
          <Tabs.Trigger className="subtab" value="body">
            Body
          </Tabs.Trigger>
          <Tabs.Trigger className="subtab" value="timing">
            Timing
          </Tabs.Trigger>
          {ws && (
            <Tabs.Trigger className="subtab" value="messages">
              Messages ({x.messageCount})
            </Tabs.Trigger>
          )}
        </Tabs.List>
        <Tabs.Content className="subpanel" value="headers">
          {full ? (
            <HeadersTab x={full} />
          ) : (
            <p className="muted tabbody" role="status">
              {error ? `Could not load the headers: ${error}` : 'Loading headers…'}
            </p>
          )}
        </Tabs.Content>
        <Tabs.Content className="subpanel" value="body">
          <BodyTab x={x} />
        </Tabs.Content>
        <Tabs.Content className="subpanel" value="timing">
          <TimingTab x={x} />
        </Tabs.Content>
        {ws && (
          <Tabs.Content className="subpanel" value="messages">
            <MessagesTab x={x} />
          </Tabs.Content>
        )}
      </Tabs.Root>
    </section>
  );
}
