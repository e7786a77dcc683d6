// Rules: the ordered list (first match wins), each with its switch, Up/Down to reorder,
// Edit and Delete; "New rule" and the editor. Paused exchanges are edited in Traffic (a
// note here leads there).
import * as Switch from '@radix-ui/react-switch';
import type { Rule } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { useRules } from '../../store/rules-store.js';
import { useStore } from '../../store/store.js';
import { describeRule } from './rule-form.js';
import { RuleEditor } from './RuleEditor.js';

function run(promise: Promise<unknown>, what: string): void {
  promise.catch((error: Error) => useStore.getState().toast({ text: `Could not ${what}: ${error.message}`, tone: 'error' }));
}

function RuleRow({ rule, index, count }: { rule: Rule; index: number; count: number }) {
  const label = rule.name ?? rule.id;
  const edit = useRules((s) => s.edit);
  return (
    <li className={rule.enabled ? 'card rule' : 'card rule disabled'} aria-label={`Rule ${label}`}>
      <Switch.Root
        className="switch"
        checked={rule.enabled}
        onCheckedChange={(enabled) => run(client.call('rules.update', { id: rule.id, rule: { ...rule, enabled } }), `switch ${label}`)}
        aria-label={`Enable ${label}`}
      >
        <Switch.Thumb className="switch-thumb" />
      </Switch.Root>
      <span className="rule-order mono muted">{index + 1}</span>
      <div className="rule-main">
        <strong className="mono">{label}</strong>
        <span className="mono small">{describeRule(rule)}</span>
      </div>
      <div className="route-actions">
        <button
          type="button"
          className="btn small"
          disabled={index === 0}
          aria-label={`Move ${label} up`}
          onClick={() => run(client.call('rules.move', { id: rule.id, index: index - 1 }), 'move the rule')}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn small"
          disabled={index === count - 1}
          aria-label={`Move ${label} down`}
          onClick={() => run(client.call('rules.move', { id: rule.id, index: index + 1 }), 'move the rule')}
        >
          ↓
        </button>
        <button type="button" className="btn small" aria-label={`Edit ${label}`} onClick={() => edit({ id: rule.id, rule })}>
          Edit
        </button>
        <button
          type="button"
          className="btn small danger"
          aria-label={`Delete ${label}`}
          onClick={() => run(client.call('rules.delete', { id: rule.id }), `delete ${label}`)}
        >
          Delete
        </button>
      </div>
    </li>
  );
}

function PausedNote() {
  const n = useRules((s) => s.paused.length);
  const setView = useStore((s) => s.setView);
  if (n === 0) return null;
  return (
    <p className="row-flex">
      <strong>{n === 1 ? 'An exchange is paused at a breakpoint.' : `${n} exchanges are paused at breakpoints.`}</strong>
      <button type="button" className="btn small" onClick={() => setView('traffic')}>
        Edit in Traffic
      </button>
    </p>
  );
}

export function RulesView() {
  const rules = useRules((s) => s.rules);
  const draft = useRules((s) => s.draft);
  const edit = useRules((s) => s.edit);
  return (
    <div className="page">
      <div className="page-head">
        <h2>Rules</h2>
        <span className="muted">First enabled match wins. Rules answer, delay, fail or pause requests; they never send them anywhere new.</span>
        <span className="spacer" />
        <button type="button" className="btn primary" onClick={() => edit({ id: undefined, rule: { match: {}, action: { respond: { status: 200 } } } })}>
          New rule
        </button>
      </div>
      <PausedNote />
      {rules?.length === 0 && (
        <p className="muted">No rules yet. Add one, or from an exchange in Traffic: Mock this response, Break on this URL, Fail this endpoint.</p>
      )}
      {rules && rules.length > 0 && (
        <ol className="rules" aria-label="Rules">
          {rules.map((rule, i) => (
            <RuleRow key={rule.id} rule={rule} index={i} count={rules.length} />
          ))}
        </ol>
      )}
      {draft && <RuleEditor key={draft.id ?? 'new'} draft={draft} />}
    </div>
  );
}
