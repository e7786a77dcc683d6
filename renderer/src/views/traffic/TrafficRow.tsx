// One row. Subscribes to its own exchange, so an update re-renders that row only.
import { memo } from 'react';
import { useStore } from '../../store/store.js';
import { statusClass, type Column } from './columns.js';
import { useIsPaused } from '../breakpoints/PausedPanel.js';

interface Props {
  id: string;
  index: number;
  top: number;
  selected: boolean;
  columns: readonly Column[];
  onPick: (id: string, open: boolean) => void;
}

export const TrafficRow = memo(function TrafficRow({ id, index, top, selected, columns, onPick }: Props) {
  const x = useStore((s) => s.traffic.byId.get(id));
  const paused = useIsPaused(id);
  if (!x) return null;
  return (
    <div
      role="row"
      id={`x-${id}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`trow ${statusClass(x)}${selected ? ' selected' : ''}${paused ? ' paused' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(id, true)}
    >
      {columns.map((c) => (
        <div key={c.key} role="gridcell" className={`tcell c-${c.key}${c.align === 'right' ? ' right' : ''}`}>
          {c.value(x)}
        </div>
      ))}
    </div>
  );
});
