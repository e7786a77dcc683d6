// Header rules: hide the backend (Server, X-Powered-By) and set/add/remove request and
// response headers. A route's own rules replace the defaults' whole, as the engine does.
// The rules are edited as rows (side, action, name, value) so a half-typed rule keeps its
// place; each change is written back as the schema's { set, add, remove } maps.
import { useRef, useState } from 'react';
import { effectiveSwitches, type HeaderRules, type RouteInput } from '../../../../../proxy-core/contract/index.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = NonNullable<RouteInput['headers']>;
type Side = 'request' | 'response';
type Op = 'set' | 'add' | 'remove';
interface Row {
  side: Side;
  op: Op;
  name: string;
  value: string;
}

const SIDES: Side[] = ['request', 'response'];

function rowsOf(value: Value | undefined): Row[] {
  return SIDES.flatMap((side) => {
    const rules = value?.[side];
    return [
      ...(rules?.remove ?? []).map((name): Row => ({ side, op: 'remove', name, value: '' })),
      ...Object.entries(rules?.set ?? {}).map(([name, v]): Row => ({ side, op: 'set', name, value: v })),
      ...Object.entries(rules?.add ?? {}).map(([name, v]): Row => ({ side, op: 'add', name, value: v })),
    ];
  });
}

function valueOf(hideBackend: boolean, rows: Row[]): Value {
  const value: Value = hideBackend ? { hideBackend } : {};
  for (const side of SIDES) {
    const mine = rows.filter((r) => r.side === side);
    if (mine.length === 0) continue;
    const map = (op: Op) => (mine.some((r) => r.op === op) ? { [op]: Object.fromEntries(mine.filter((r) => r.op === op).map((r) => [r.name, r.value])) } : {});
    const remove = mine.filter((r) => r.op === 'remove').map((r) => r.name);
    value[side] = { ...(remove.length > 0 && { remove }), ...map('set'), ...map('add') };
  }
  return value;
}

/** The validation key of a row, as zod reports its path ("headers.response.set.x-a", "headers.request.remove.0"). */
function rowKey(rows: Row[], i: number): string {
  const row = rows[i]!;
  if (row.op !== 'remove') return `headers.${row.side}.${row.op}.${row.name}`;
  return `headers.${row.side}.remove.${rows.slice(0, i).filter((r) => r.side === row.side && r.op === 'remove').length}`;
}

function RuleRows({ id, rows, setRows, errors }: { id: string; rows: Row[]; setRows: (rows: Row[]) => void; errors: Record<string, string> }) {
  const list = useRef<HTMLOListElement>(null);
  const change = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = () => {
    setRows([...rows, { side: 'response', op: 'set', name: '', value: '' }]);
    // The new row's name field, so the keyboard goes on where the rule is typed.
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus());
  };
  return (
    <>
      <ol ref={list} className="rule-rows" aria-label="Header rules">
        {rows.map((row, i) => (
          <li key={i} className="rule-row">
            <select className="input" aria-label={`Rule ${i + 1} applies to`} value={row.side} onChange={(e) => change(i, { side: e.target.value as Side })}>
              <option value="request">Request</option>
              <option value="response">Response</option>
            </select>
            <select className="input" aria-label={`Rule ${i + 1} action`} value={row.op} onChange={(e) => change(i, { op: e.target.value as Op })}>
              <option value="set">Set</option>
              <option value="add">Add</option>
              <option value="remove">Remove</option>
            </select>
            <input
              id={`${id}-name${i}`}
              className="input mono"
              aria-label={`Rule ${i + 1} header name`}
              placeholder="x-request-id"
              spellCheck={false}
              value={row.name}
              aria-invalid={errors[rowKey(rows, i)] ? true : undefined}
              onChange={(e) => change(i, { name: e.target.value })}
            />
            <input
              className="input mono spacer"
              aria-label={`Rule ${i + 1} value`}
              placeholder={row.op === 'remove' ? '' : 'value'}
              disabled={row.op === 'remove'}
              spellCheck={false}
              value={row.value}
              onChange={(e) => change(i, { value: e.target.value })}
            />
            <button type="button" className="btn small" aria-label={`Delete rule ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              Delete
            </button>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" className="btn small" onClick={add}>
          + Header rule
        </button>
      </div>
    </>
  );
}

function HeadersField({ scope, values, set, defaults, errors }: SwitchFieldProps) {
  const own = values.headers;
  const [rows, setRowsState] = useState(() => rowsOf(own));
  const id = `${scope}-headers`;
  const hideBackend = own?.hideBackend ?? false;
  const setRows = (next: Row[]) => {
    setRowsState(next);
    set({ headers: valueOf(hideBackend, next) });
  };
  const inherited = describe(defaults?.headers);
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor={id}>Header rules</label>
        <select
          id={id}
          className="input"
          value={own === undefined ? 'default' : 'own'}
          onChange={(e) => set({ headers: e.target.value === 'own' ? valueOf(hideBackend, rows) : undefined })}
        >
          <option value="default">{scope === 'route' ? `Default (${inherited ?? 'none'})` : 'Off'}</option>
          <option value="own">{scope === 'route' ? 'Own rules (replace the defaults)' : 'On'}</option>
        </select>
      </div>
      {own !== undefined && (
        <>
          <label className="row-flex small">
            <input type="checkbox" checked={hideBackend} onChange={(e) => set({ headers: valueOf(e.target.checked, rows) })} />
            Hide the backend (remove Server and X-Powered-By from responses)
          </label>
          <RuleRows id={id} rows={rows} setRows={setRows} errors={errors} />
        </>
      )}
      <FieldError errors={errors} keys={Object.keys(errors).filter((k) => k === 'headers' || k.startsWith('headers.'))} />
    </fieldset>
  );
}

/** "hides backend · 2 rules", or undefined when the rules do nothing. */
function describe(rules: HeaderRules | Value | undefined): string | undefined {
  if (!rules) return undefined;
  const count = rowsOf(rules).length;
  const parts = [...(rules.hideBackend ? ['hides backend'] : []), ...(count > 0 ? [`${count} ${count === 1 ? 'rule' : 'rules'}`] : [])];
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function HeadersCard({ route, defaults }: SwitchCardProps) {
  const text = describe(effectiveSwitches(route, defaults).headers);
  if (!text) return null;
  return (
    <SwitchChip name="Headers" inherited={route.headers === undefined}>
      <span className="switch-numbers">{text}</span>
    </SwitchChip>
  );
}

export const headersSwitch: RouteSwitch = {
  key: 'headers',
  inDefaults: true,
  labels: { headers: 'Header rule' },
  Field: HeadersField,
  Card: HeadersCard,
};
