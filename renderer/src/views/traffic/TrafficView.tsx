// Traffic: toolbar, the live list and, when a row is open, its detail on the right, with
// a separator between them that drags (or moves with the arrow keys) to share the width.
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useStore } from '../../store/store.js';
import { DetailPane } from './DetailPane.js';
import { TrafficList } from './TrafficList.js';
import { TrafficToolbar } from './TrafficToolbar.js';
import { PausedPanel } from '../breakpoints/PausedPanel.js';

function EmptyTraffic() {
  const empty = useStore((s) => s.traffic.ids.length === 0);
  const paused = useStore((s) => s.paused);
  if (!empty || paused) return null;
  return <div className="tempty muted">No requests yet — open one of your routes and they appear here as they happen.</div>;
}

/** Paused is easy to forget: a bar over the list says so for as long as it lasts. */
function PausedBar() {
  const paused = useStore((s) => s.paused);
  if (!paused) return null;
  return (
    <div className="paused-bar" role="status">
      Capture paused — requests pass through but are not recorded.
    </div>
  );
}

const SPLIT_KEY = 'portico.trafficSplit';
const clampSplit = (percent: number) => Math.min(80, Math.max(20, percent));

/** The list's share of the width, in percent, remembered across sessions. */
function useSplit(): [number, (percent: number) => void] {
  const [split, setSplit] = useState(() => clampSplit(Number(localStorage.getItem(SPLIT_KEY)) || 46));
  return [
    split,
    (percent) => {
      const next = clampSplit(percent);
      setSplit(next);
      localStorage.setItem(SPLIT_KEY, String(next));
    },
  ];
}

export function TrafficView() {
  const open = useStore((s) => s.detailOpen && s.selectedId !== undefined);
  const [split, setSplit] = useSplit();
  const container = useRef<HTMLDivElement>(null);

  const drag = (event: PointerEvent<HTMLDivElement>) => {
    const box = container.current?.getBoundingClientRect();
    if (!box || event.buttons !== 1) return;
    setSplit(((event.clientX - box.left) / box.width) * 100);
  };
  const onKey = (event: KeyboardEvent) => {
    const step = { ArrowLeft: -2, ArrowRight: 2 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    setSplit(split + step);
  };

  return (
    <div className="traffic">
      <TrafficToolbar />
      <PausedBar />
      <PausedPanel />
      <div ref={container} className={open ? 'tsplit open' : 'tsplit'}>
        <div className="tmain" style={open ? { flexBasis: `${split}%` } : undefined}>
          <TrafficList />
          <EmptyTraffic />
        </div>
        {open && (
          <div
            className="tsplitter"
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the list and the details"
            aria-valuemin={20}
            aria-valuemax={80}
            aria-valuenow={Math.round(split)}
            tabIndex={0}
            onPointerDown={(e) => e.currentTarget.setPointerCapture(e.pointerId)}
            onPointerMove={drag}
            onKeyDown={onKey}
          />
        )}
        {open && <DetailPane />}
      </div>
    </div>
  );
}
