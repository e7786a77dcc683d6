// Traffic: toolbar, the live list and, when a row is open, its detail on the right.
import { useStore } from '../../store/store.js';
import { DetailPane } from './DetailPane.js';
import { TrafficList } from './TrafficList.js';
import { TrafficToolbar } from './TrafficToolbar.js';
import { PausedPanel } from '../breakpoints/PausedPanel.js';

function EmptyTraffic() {
  const empty = useStore((s) => s.traffic.ids.length === 0);
  const paused = useStore((s) => s.paused);
  if (!empty) return null;
  return (
    <div className="tempty muted">
      {paused
        ? 'Capture is paused: requests pass through but are not recorded.'
        : 'No requests yet — open one of your routes and they appear here as they happen.'}
    </div>
  );
}

export function TrafficView() {
  const open = useStore((s) => s.detailOpen && s.selectedId !== undefined);
  return (
    <div className="traffic">
      <TrafficToolbar />
      <PausedPanel />
      <div className={open ? 'tsplit open' : 'tsplit'}>
        <div className="tmain">
          <TrafficList />
          <EmptyTraffic />
        </div>
        {open && <DetailPane />}
      </div>
    </div>
  );
}
