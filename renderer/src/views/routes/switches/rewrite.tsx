// Path rewrites on the way to the backend: strip a prefix, regex rules (first match wins),
// add a prefix, in that order. A route's own business: there is no default. The card
// says what it does: "strip /api · 1 regex · add /v1".
import { useRef } from 'react';
import type { RouteInput } from '../../../../../proxy-core/contract/index.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Value = NonNullable<RouteInput['rewrite']>;
type Rule = NonNullable<Value['regex']>[number];

/** Drops empty pieces, so the config file holds only what the form says. */
function tidy(value: Value): Value {
  return {
    ...(value.stripPrefix ? { stripPrefix: value.stripPrefix } : {}),
    ...(value.regex?.length ? { regex: value.regex } : {}),
    ...(value.addPrefix ? { addPrefix: value.addPrefix } : {}),
  };
}

function RegexRows({ rules, set, errors }: { rules: Rule[]; set: (rules: Rule[]) => void; errors: Record<string, string> }) {
  const list = useRef<HTMLOListElement>(null);
  const change = (i: number, patch: Partial<Rule>) => set(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = () => {
    set([...rules, { match: '', replace: '' }]);
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>('li:last-child input')?.focus());
  };
  return (
    <>
      <ol ref={list} className="rule-rows" aria-label="Regex rewrites">
        {rules.map((rule, i) => (
          <li key={i} className="rule-row">
            <input
              className="input mono spacer"
              aria-label={`Regex ${i + 1} match`}
              placeholder="^/old/(.*)$"
              spellCheck={false}
              value={rule.match}
              aria-invalid={errors[`rewrite.regex.${i}.match`] ? true : undefined}
              onChange={(e) => change(i, { match: e.target.value })}
            />
            <span aria-hidden="true">→</span>
            <input
              className="input mono spacer"
              aria-label={`Regex ${i + 1} replacement`}
              placeholder="/new/$1"
              spellCheck={false}
              value={rule.replace}
              onChange={(e) => change(i, { replace: e.target.value })}
            />
            <button type="button" className="btn small" aria-label={`Delete regex ${i + 1}`} onClick={() => set(rules.filter((_, j) => j !== i))}>
              Delete
            </button>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" className="btn small" onClick={add}>
          + Regex rewrite
        </button>
      </div>
    </>
  );
}

function RewriteField({ values, set, errors }: SwitchFieldProps) {
  const own = values.rewrite;
  const change = (patch: Partial<Value>) => set({ rewrite: tidy({ ...own, ...patch }) });
  const prefix = (key: 'stripPrefix' | 'addPrefix', label: string, placeholder: string) => (
    <>
      <label htmlFor={`route-rewrite-${key}`}>{label}</label>
      <input
        id={`route-rewrite-${key}`}
        className="input narrow mono"
        placeholder={placeholder}
        spellCheck={false}
        value={own?.[key] ?? ''}
        aria-invalid={errors[`rewrite.${key}`] ? true : undefined}
        onChange={(e) => change({ [key]: e.target.value })}
      />
    </>
  );
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor="route-rewrite">Rewrite path</label>
        <select
          id="route-rewrite"
          className="input"
          value={own === undefined ? 'off' : 'on'}
          onChange={(e) => set({ rewrite: e.target.value === 'on' ? {} : undefined })}
        >
          <option value="off">Off</option>
          <option value="on">On</option>
        </select>
        <span className="hint">Strip, then regex, then add; the query is kept.</span>
      </div>
      {own !== undefined && (
        <>
          <div className="switch-options">
            {prefix('stripPrefix', 'Strip prefix', '/api')}
            {prefix('addPrefix', 'Add prefix', '/v1')}
          </div>
          <RegexRows rules={own.regex ?? []} set={(regex) => change({ regex })} errors={errors} />
        </>
      )}
      <FieldError errors={errors} keys={Object.keys(errors).filter((k) => k === 'rewrite' || k.startsWith('rewrite.'))} />
    </fieldset>
  );
}

function RewriteCard({ route }: SwitchCardProps) {
  const r = route.rewrite;
  if (!r) return null;
  const parts = [
    ...(r.stripPrefix ? [`strip ${r.stripPrefix}`] : []),
    ...(r.regex?.length ? [`${r.regex.length} regex`] : []),
    ...(r.addPrefix ? [`add ${r.addPrefix}`] : []),
  ];
  if (parts.length === 0) return null;
  return (
    <SwitchChip name="Rewrite" inherited={false}>
      <span className="switch-numbers">{parts.join(' · ')}</span>
    </SwitchChip>
  );
}

export const rewriteSwitch: RouteSwitch = {
  key: 'rewrite',
  inDefaults: false,
  labels: { rewrite: 'Rewrite', 'rewrite.stripPrefix': 'Strip prefix', 'rewrite.addPrefix': 'Add prefix', 'rewrite.regex.match': 'Regex' },
  Field: RewriteField,
  Card: RewriteCard,
};
