// The live list, virtualized (only the rows in view exist in the DOM), as an ARIA grid:
// the grid holds focus, ↑/↓ move the selection, Enter opens it, Escape closes the detail.
// It follows new rows while scrolled to the bottom, like a terminal; scroll up to stop, and
// the rows in view stay where they are while others come and go.
// Every row has the same height, so which rows are in view is arithmetic on the scroll
// offset: no per-row measurements, nothing that grows with 100,000 rows.
import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, type KeyboardEvent, type ReactElement } from 'react';
import { selectVisibleIds, selectVisibleVersion } from '../../store/filters.js';
import { useStore } from '../../store/store.js';
import { columnsFor, gridTemplate } from './columns.js';
import { ListHeader } from './ListHeader.js';
import { TrafficRow } from './TrafficRow.js';
import { useSortedIds } from './sorting.js';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

export function TrafficList() {
  const ids = useSortedIds(useStore(selectVisibleIds), useStore(selectVisibleVersion));
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  // Where the list is scrolled to, as far as this component knows: kept in a ref and not
  // read back from the element, since reading scroll offsets forces a layout every frame.
  const view = useRef({ top: 0, height: 800, width: 1200 });
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  // The row at the top of the view, so it can be kept in place when rows come and go.
  const anchor = useRef<{ id: string; index: number } | undefined>(undefined);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      view.current = { top: el.scrollTop, height: el.clientHeight, width: el.clientWidth };
      rerender();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Where the view must be for this list, worked out before rendering, so new rows and
  // the scroll position reach the screen in one render: following, the bottom; scrolled
  // up, wherever keeps the anchored row in place (older rows evicted above it move it up).
  const height = view.current.height;
  const bottom = Math.max(0, ids.length * ROW_HEIGHT - height);
  let top = view.current.top;
  if (following.current) top = bottom;
  else if (anchor.current) {
    const { id, index } = anchor.current;
    const now = ids[index] === id ? index : ids.indexOf(id);
    if (now >= 0) top += (now - index) * ROW_HEIGHT;
  }
  top = Math.min(bottom, Math.max(0, top));

  const setAnchor = (at: number) => {
    const index = Math.min(ids.length - 1, Math.floor(at / ROW_HEIGHT));
    anchor.current = index >= 0 ? { id: ids[index]!, index } : undefined;
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (top !== view.current.top) el.scrollTop = top;
    view.current.top = top;
    setAnchor(top);
  });

  // The user scrolled (our own writes above are recognised and ignored).
  const onScroll = () => {
    const el = scroller.current;
    if (!el || Math.abs(el.scrollTop - view.current.top) < 1) return;
    view.current.top = el.scrollTop;
    // Still following when the user is (nearly) at the bottom.
    following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
    setAnchor(el.scrollTop);
    rerender();
  };

  const pick = useCallback((id: string, open: boolean) => select(id, open), [select]);

  const selectedIndex = selectedId === undefined ? -1 : ids.indexOf(selectedId);
  // Keyboard moves keep the selected row in view.
  const reveal = (index: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[event.key];
    let target: number | undefined;
    if (step !== undefined) {
      event.preventDefault();
      const from = selectedIndex < 0 ? (step > 0 ? -1 : ids.length) : selectedIndex;
      target = Math.max(0, Math.min(ids.length - 1, from + step));
      following.current = false;
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      target = event.key === 'Home' ? 0 : ids.length - 1;
    } else if (event.key === 'Enter' && selectedId !== undefined) {
      event.preventDefault();
      select(selectedId, true);
    } else if (event.key === 'Escape') {
      select(selectedId, false);
    }
    if (target !== undefined && ids[target] !== undefined) {
      select(ids[target]);
      reveal(target);
    }
  };

  // The columns follow the list's own width, so a wide window keeps them all beside the detail.
  const columns = columnsFor(view.current.width);
  // Always the same number of rows (at the bottom the spare ones go above the view), so
  // that keyed by place below, the same elements serve every update.
  const span = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  const first = Math.max(0, Math.min(Math.floor(top / ROW_HEIGHT) - OVERSCAN, ids.length - span));
  const last = Math.min(ids.length, first + span);
  // Following, the rows in view are new ones at every update: rows keyed by their place
  // (the index modulo the number of rows rendered, so keys stay unique) keep their
  // elements and only their text changes. Keyed by id, every update removed and created
  // every row in view (a few hundred elements), the largest part of the page's work under
  // a flood. Scrolled up, rows keep their ids while their places shift as older ones go,
  // so they are keyed by id there.
  const places = following.current ? span : 0;
  const rows: ReactElement[] = [];
  for (let index = first; index < last; index++) {
    const id = ids[index]!;
    rows.push(
      <TrafficRow
        key={places ? `@${index % places}` : id}
        id={id}
        index={index}
        top={index * ROW_HEIGHT}
        selected={id === selectedId}
        columns={columns}
        onPick={pick}
      />,
    );
  }
  return (
    <div
      className="tlist"
      role="grid"
      aria-label="Traffic"
      aria-rowcount={ids.length + 1}
      aria-activedescendant={selectedId !== undefined && selectedIndex >= 0 ? `x-${selectedId}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={{ ['--grid' as string]: gridTemplate(columns) }}
    >
      <ListHeader columns={columns} />
      <div className="tscroll" ref={scroller} onScroll={onScroll}>
        <div className="tspace" style={{ height: ids.length * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
