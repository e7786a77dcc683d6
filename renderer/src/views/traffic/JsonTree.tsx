// Pretty, collapsible JSON on native <details> (keyboard and screen readers know it).
// Deep levels start closed; long arrays and objects show their first entries only, so a
// 1 MiB body does not become a million DOM nodes.
import type { ReactNode } from 'react';

/** Small documents open whole; bigger ones two levels deep. */
const SMALL_NODES = 200;
const OPEN_DEPTH = 2;
const MAX_ENTRIES = 500;

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="j-null">null</span>;
  if (typeof value === 'string') return <span className="j-str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="j-num">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="j-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth, openDepth }: { name: ReactNode; value: unknown; depth: number; openDepth: number }) {
  if (value === null || typeof value !== 'object') {
    return (
      <div className="j-row">
        {name}
        <Leaf value={value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value as object);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="j-row">
        {name}
        {open}
        {close}
      </div>
    );
  }
  return (
    <details className="j-node" open={depth < openDepth}>
      <summary>
        {name}
        {open}
        <span className="j-count muted">
          {' '}
          {entries.length} {isArray ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}
        </span>
      </summary>
      <div className="j-children">
        {entries.slice(0, MAX_ENTRIES).map(([key, child]) => (
          <Node
            key={key}
            name={<span className="j-key">{isArray ? `${key}: ` : `${JSON.stringify(key)}: `}</span>}
            value={child}
            depth={depth + 1}
            openDepth={openDepth}
          />
        ))}
        {entries.length > MAX_ENTRIES && <div className="muted">… {entries.length - MAX_ENTRIES} more</div>}
      </div>
      <div className="j-row">{close}</div>
    </details>
  );
}

/** Nodes in a JSON value, counting stops at `cap`. */
function countNodes(value: unknown, cap: number): number {
  let n = 0;
  const stack = [value];
  while (stack.length > 0 && n < cap) {
    const v = stack.pop();
    n++;
    if (v !== null && typeof v === 'object') stack.push(...Object.values(v as object));
  }
  return n;
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json mono" role="tree" aria-label="JSON body">
      <Node name={null} value={value} depth={0} openDepth={countNodes(value, SMALL_NODES) < SMALL_NODES ? Infinity : OPEN_DEPTH} />
    </div>
  );
}
