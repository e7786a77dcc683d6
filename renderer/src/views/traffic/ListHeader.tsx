// The list's header: one button per column, sorting by it (ascending, descending, off).
import type { Column } from './columns.js';
import { useSort } from './sorting.js';

export function ListHeader({ columns }: { columns: readonly Column[] }) {
  const { sort, toggle } = useSort();
  return (
    <div role="row" aria-rowindex={1} className="thead">
      {columns.map((c) => {
        const direction = sort?.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none';
        return (
          <div key={c.key} role="columnheader" aria-sort={direction} className={`tcell c-${c.key}${c.align === 'right' ? ' right' : ''}`}>
            <button type="button" className="thead-sort" onClick={() => toggle(c.key)} title={`Sort by ${c.label.toLowerCase()}`}>
              {c.label}
              <span className="sort-arrow" aria-hidden="true">
                {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );
}
