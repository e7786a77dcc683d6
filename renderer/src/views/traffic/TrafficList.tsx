// The live list, virtualized (only the rows in view exist in the DOM), as an ARIA grid:
// the grid holds focus, ↑/↓ move the selection, Enter opens it, Escape closes the detail.
// It follows new rows while scrolled to the bottom, like a terminal; scroll up to stop.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { selectVisibleIds } from '../../store/filters.js';
import { useStore } from '../../store/store.js';
import { COLUMNS, COMPACT_COLUMNS, gridTemplate } from './columns.js';
import { TrafficRow } from './TrafficRow.js';

const ROW_HEIGHT = 22;

export function TrafficList() {
  const ids = useStore(selectVisibleIds);
  const selectedId = useStore((s) => s.selectedId);
  const select = useStore((s) => s.select);
  const compact = useStore((s) => s.detailOpen && s.selectedId !== undefined);
  const columns = compact ? COMPACT_COLUMNS : COLUMNS;
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Still following when the user is (nearly) at the bottom.
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2;
    const top = Math.min(ids.length - 1, Math.floor(el.scrollTop / ROW_HEIGHT));
    anchor.current = top >= 0 ? { id: ids[top]!, index: top } : undefined;
  };

  // Following: stick to the bottom. Not following: keep the rows in view where they are
  // when older ones are evicted above them (else the list would crawl upwards under you).
  const anchor = useRef<{ id: string; index: number } | undefined>(undefined);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || ids.length === 0) return;
    if (following.current) {
      el.scrollTop = el.scrollHeight;
    } else if (anchor.current) {
      const now = ids.indexOf(anchor.current.id);
      if (now >= 0 && now !== anchor.current.index) el.scrollTop += (now - anchor.current.index) * ROW_HEIGHT;
    }
    const top = Math.min(ids.length - 1, Math.floor(el.scrollTop / ROW_HEIGHT));
    anchor.current = { id: ids[top]!, index: top };
  }, [ids]);

  const pick = useCallback((id: string, open: boolean) => select(id, open), [select]);

  const selectedIndex = selectedId === undefined ? -1 : ids.indexOf(selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 }[event.key];
    if (step !== undefined) {
      event.preventDefault();
      const from = selectedIndex < 0 ? (step > 0 ? -1 : ids.length) : selectedIndex;
      const next = ids[Math.max(0, Math.min(ids.length - 1, from + step))];
      if (next !== undefined) {
        following.current = false;
        select(next);
      }
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const next = event.key === 'Home' ? ids[0] : ids.at(-1);
      if (next !== undefined) select(next);
    } else if (event.key === 'Enter' && selectedId !== undefined) {
      event.preventDefault();
      select(selectedId, true);
    } else if (event.key === 'Escape') {
      select(selectedId, false);
    }
  };

  const rows = virtualizer.getVirtualItems();
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
      <div role="row" aria-rowindex={1} className="thead">
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={`tcell c-${c.key}${c.align === 'right' ? ' right' : ''}`}>
            {c.label}
          </div>
        ))}
      </div>
      <div className="tscroll" ref={scroller} onScroll={onScroll}>
        <div className="tspace" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const id = ids[row.index]!;
            return <TrafficRow key={id} id={id} index={row.index} top={row.start} selected={id === selectedId} columns={columns} onPick={pick} />;
          })}
        </div>
      </div>
    </div>
  );
}
